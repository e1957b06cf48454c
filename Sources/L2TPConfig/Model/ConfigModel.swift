/// The configuration the daemon runs with: system settings and profiles.
/// Tunnels and sessions are not part of it; they are live objects the daemon
/// creates from `tunnel create` / `session create` commands.
public struct ConfigModel: Hashable, Sendable {
    public var system: SystemSettings
    public var profiles: ProfileStore

    /// Built-in defaults: what the daemon runs with before reading a file,
    /// and what SIGHUP starts from before re-reading it.
    public init(system: SystemSettings = SystemSettings(), profiles: ProfileStore = ProfileStore()) {
        self.system = system
        self.profiles = profiles
    }

    /// `openl2tpd -D`: all trace flags on the default tunnel, session and PPP
    /// profiles (peer profiles have no trace flags).
    public mutating func traceAllOnDefaultProfiles() {
        for kind in [ProfileKind.tunnel, .session, .ppp] {
            try? profiles.modify(kind, name: "default", values: [.traceFlags: .traceFlags(.all)])
        }
    }

    /// What `apply` did with a command.
    public enum ApplyOutcome: Hashable, Sendable {
        /// The model changed (system or profile command).
        case applied
        /// Not a model command: the caller acts on it (tunnel/session create,
        /// show, list, ...).
        case notAModelCommand
    }

    /// Applies a system or profile command. On error the model is unchanged.
    /// Run `CommandValidator.validate` first for required-parameter checks.
    @discardableResult
    public mutating func apply(
        _ command: ParsedCommand,
        references: ProfileStore.ReferenceCheck = .immediate
    ) throws(ConfigError) -> ApplyOutcome {
        do throws(ConfigError) {
            switch command.path {
            case .systemModify:
                var arguments = command.arguments
                arguments[.resetStatistics] = nil
                var updated = system
                try updated.apply(arguments, what: "system modify")
                system = updated
                return .applied
            case .profile(let kind, let action):
                let name = command.string(.profileName) ?? ""
                var values = command.arguments
                values[.profileName] = nil
                var updated = profiles
                switch action {
                case .create: try updated.create(kind, name: name, values: values, references: references)
                case .modify: try updated.modify(kind, name: name, values: values, references: references)
                case .delete: try updated.delete(kind, name: name)
                case .unset: try updated.unset(kind, name: name, parameters: command.unsetParameters)
                case .show, .list: return .notAModelCommand
                }
                profiles = updated
                return .applied
            case .systemShow, .tunnelCreate, .tunnelDelete, .tunnelModify, .tunnelShow, .tunnelList,
                .sessionCreate, .sessionDelete, .sessionModify, .sessionShow, .sessionList,
                .peerShow, .peerList, .userList, .debugModify, .debugShow, .configSave, .configRestore:
                return .notAModelCommand
            }
        } catch {
            throw error.located(at: command.location)
        }
    }
}

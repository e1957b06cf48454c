/// `config save`: the model as commands that read back to an equal model.
///
/// Written: `system modify` with the settings that differ from defaults;
/// then PPP, session, tunnel and peer profiles (`modify` for the built-in
/// `default` ones when changed, `create` for the others) with their
/// non-default parameters. The daemon appends its locally created tunnels and
/// sessions as `tunnel create` / `session create` commands through `extra`.
public enum ConfigSerializer {
    /// Order of profile kinds: referenced kinds before their users, so the
    /// file also reads back command by command in l2tpconfig (immediate
    /// reference checks), as long as tunnel profiles do not name peer profiles.
    static let kindOrder: [ProfileKind] = [.ppp, .session, .tunnel, .peer]

    public static func commands(for model: ConfigModel) -> [ParsedCommand] {
        var result: [ParsedCommand] = []
        if !model.system.explicitValues.isEmpty {
            result.append(ParsedCommand(path: .systemModify, arguments: model.system.explicitValues))
        }
        var deferred: [ParsedCommand] = []
        for kind in kindOrder {
            for name in model.profiles.names(kind) {
                let values = model.profiles.explicitValues(kind, name) ?? [:]
                if name == "default" && values.isEmpty { continue }
                var arguments = values
                arguments[.profileName] = .string(name)
                let action: ProfileAction = name == "default" ? .modify : .create
                // A tunnel profile naming a peer profile must wait for the peer
                // profiles: write it without the reference, then add it.
                if kind == .tunnel, let peer = values[.peerProfileName] {
                    arguments[.peerProfileName] = nil
                    deferred.append(
                        ParsedCommand(
                            path: .profile(.tunnel, .modify),
                            arguments: [.profileName: .string(name), .peerProfileName: peer]))
                }
                if action == .modify && arguments.count == 1 { continue }  // only the deferred reference
                result.append(ParsedCommand(path: .profile(kind, action), arguments: arguments))
            }
        }
        return result + deferred
    }

    /// The whole file. `extra` are commands the daemon appends (its locally
    /// created tunnels and sessions), rendered after the profiles.
    public static func text(
        for model: ConfigModel, appending extra: [ParsedCommand] = [],
        header: String = "openl2tpd configuration written by 'config save'"
    ) -> String {
        var lines = header.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
        lines.append("")
        for command in commands(for: model) + extra {
            lines.append(CommandRenderer.render(command))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

import L2TPConfig

/// Reading the configuration file at start and on SIGHUP. Statements go
/// through `execute`, the same path management commands take.
extension Daemon {
    /// Commands a configuration file may contain (changes, not queries).
    static func isAllowedInConfigFile(_ path: CommandPath) -> Bool {
        switch path {
        case .systemModify, .tunnelCreate, .tunnelModify, .sessionCreate, .sessionModify, .debugModify: return true
        case .profile(_, let action): return [.create, .modify, .delete, .unset].contains(action)
        default: return false
        }
    }

    /// Parses and checks the whole text; every problem as `FILE:LINE: what`.
    public static func parseConfiguration(_ text: String, file: String) -> Result<[ParsedCommand], DaemonError> {
        let output = CommandParser().parse(text, file: file)
        var errors = output.errors.map(\.description)
        for command in output.commands {
            errors += CommandValidator.validate(command).map(\.description)
            if !isAllowedInConfigFile(command.path) {
                errors.append("\(command.location): '\(command.path)' is not allowed in a configuration file")
            }
        }
        if !errors.isEmpty { return .failure(.configuration(errors.joined(separator: "\n"))) }
        return .success(output.commands)
    }

    /// Start-up: the daemon refuses to run half-configured, so the first
    /// error (with its location) aborts.
    public func loadConfiguration(_ text: String, file: String) throws(DaemonError) {
        let commands = try Self.parseConfiguration(text, file: file).get()
        // All or nothing on the wire: the file's SCCRQs leave only once every
        // line was applied, so a file refused at line 8 has not brought up
        // the tunnel of line 2 with a peer before the daemon exits.
        heldDatagrams = []
        defer { heldDatagrams = nil }
        for command in commands {
            do {
                try execute(command)
            } catch {
                throw .configuration("\(command.location): \(error.message)")
            }
        }
        let held = heldDatagrams ?? []
        heldDatagrams = nil
        for (datagram, peer, tunnelID) in held { io?.send(datagram, to: peer, tunnelID: tunnelID) }
    }

    /// SIGHUP: profiles and system settings go back to defaults and the file
    /// is applied again; tunnels are untouched (a `tunnel create` for a
    /// tunnel that exists is skipped). A bad file keeps the running
    /// configuration. Returns whether the new file took effect.
    @discardableResult
    public func reloadConfiguration(_ text: String, file: String) -> Bool {
        let commands: [ParsedCommand]
        switch Self.parseConfiguration(text, file: file) {
        case .failure(let error):
            for line in error.message.split(separator: "\n") { logger.error("\(line)") }
            logger.error("configuration \(file) not reloaded: the running configuration is kept")
            return false
        case .success(let parsed):
            commands = parsed
        }
        let saved = resolver
        resolver = SettingsResolver(
            model: Self.initialModel(options), traceDefaultProfiles: options.traceDefaultProfiles)
        // Profiles and system first, all or nothing.
        for command in commands
        where ![.tunnelCreate, .sessionCreate, .tunnelModify, .sessionModify].contains(command.path) {
            do {
                try execute(command)
            } catch {
                logger.error("\(command.location): \(error.message)")
                logger.error("configuration \(file) not reloaded: the running configuration is kept")
                resolver = saved
                return false
            }
        }
        // New tunnels and their sessions; existing ones are left alone.
        var created: Set<String> = []
        for command in commands where command.path == .tunnelCreate || command.path == .sessionCreate {
            if command.path == .tunnelCreate {
                if let name = command.string(.tunnelName),
                    tunnels.values.contains(where: { $0.name == name }) || persistentTunnels[name] != nil
                {
                    continue
                }
                do {
                    try execute(command)
                    if let name = command.string(.tunnelName) { created.insert(name) }
                } catch {
                    logger.error("\(command.location): \(error.message)")
                }
            } else if let name = command.string(.tunnelName), created.contains(name) {
                do { try execute(command) } catch { logger.error("\(command.location): \(error.message)") }
            }
        }
        logger.notice("configuration reloaded from \(file)")
        return true
    }
}

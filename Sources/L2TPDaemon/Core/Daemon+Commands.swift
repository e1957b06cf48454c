import L2TPConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The one path through which config-file statements and management
/// commands change the daemon: both arrive as a `ParsedCommand`.
extension Daemon {
    /// Carries out `command`; returns the text a show/list command prints
    /// (empty for changes).
    @discardableResult
    public func execute(_ command: ParsedCommand) throws(DaemonError) -> String {
        trace(.function, "execute \(command.path)")
        trace(.api, "\(command.path)")
        let args = command.arguments
        switch command.path {
        case .systemModify:
            if args[.resetStatistics]?.boolValue == true {
                engine.resetStatistics()
                counters = DaemonCounters()
            }
            try applyToModel(command)
            return ""
        case .systemShow:
            return showSystem(command.keywords)
        case .tunnelCreate:
            let id = try createTunnel(command)
            return "Created tunnel \(id)"
        case .tunnelDelete:
            let id = try tunnelID(args)
            deleteTunnel(id)
            return ""
        case .tunnelModify:
            try modifyTunnel(try tunnelID(args), args)
            return ""
        case .tunnelShow:
            return showTunnel(try tunnelID(args))
        case .tunnelList:
            return listTunnels(command.keywords)
        case .sessionCreate:
            let (tid, sid) = try createSession(command)
            return sid == 0 ? "Session queued until tunnel \(tid) is up" : "Created session \(tid)/\(sid)"
        case .sessionDelete:
            let tid = try tunnelID(args)
            let sid = try sessionID(args, tunnel: tid)
            if let session = tunnels[tid]?.sessions[sid] { forgetPersistentSession(session, tunnelID: tid) }
            perform(engine.closeSession(sid, in: tid, now: clock()))
            return ""
        case .sessionModify:
            let tid = try tunnelID(args)
            let sid = try sessionID(args, tunnel: tid)
            if let flags = args[.traceFlags]?.traceFlagsValue {
                tunnels[tid]?.sessions[sid]?.settings.traceFlags = flags
            }
            return ""
        case .sessionShow:
            let tid = try tunnelID(args)
            return showSession(tid, try sessionID(args, tunnel: tid))
        case .sessionList:
            return listSessions(try tunnelID(args))
        case .profile(let kind, let action):
            return try profileCommand(kind, action, command)
        case .peerShow, .peerList:
            return profiles.names(.peer).joined(separator: "\n")
        case .userList:
            return listUsers()
        case .debugModify:
            let flags = args[.traceFlags]?.traceFlagsValue ?? .none
            if args[.tunnelID] != nil || args[.tunnelName] != nil {
                let tid = try tunnelID(args)
                if args[.sessionID] != nil || args[.sessionName] != nil {
                    let sid = try sessionID(args, tunnel: tid)
                    tunnels[tid]?.sessions[sid]?.settings.traceFlags = flags
                } else {
                    tunnels[tid]?.settings.traceFlags = flags
                }
            } else {
                try applyToModel(
                    ParsedCommand(
                        path: .systemModify, arguments: [.traceFlags: .traceFlags(flags)],
                        location: command.location))
            }
            return ""
        case .debugShow:
            return "system trace flags: \(system.traceFlags)"
        case .configSave:
            let text = ConfigSerializer.text(for: resolver.model, appending: localCreateCommands())
            guard let file = command.string(.file) else { return text }
            try writeTextFile(file, text)
            return ""
        case .configRestore:
            guard let file = command.string(.file) else { throw .missingParameter("config restore needs file=") }
            let text = try readTextFile(file).get()
            for restored in try Self.parseConfiguration(text, file: file).get() {
                do { try execute(restored) } catch { throw .configuration("\(restored.location): \(error.message)") }
            }
            return ""
        }
    }

    // MARK: - Tunnels

    /// `tunnel create`: checks the local-create limits, maps the profiles and
    /// starts the control connection (SCCRQ).
    public func createTunnel(_ command: ParsedCommand) throws(DaemonError) -> UInt16 {
        if let refusal = tunnelLimit(remote: false) {
            counters.tunnelsRefused += 1
            logger.warning("refused tunnel create: \(refusal.reason)")
            throw refusal.isCapacityLimit
                ? .limit("tunnel create refused: \(refusal.reason)")
                : .denied("tunnel create refused: \(refusal.reason)")
        }
        let settings = try resolver.localTunnel(command)
        if let name = settings.tunnelName,
            tunnels.values.contains(where: { $0.name == name })
                || persistentTunnels[name] != nil
        {
            throw .tunnelExists("tunnel_name '\(name)' is already in use")
        }
        let id = try startLocalTunnel(settings, origin: command)
        if settings.persist {
            persistentTunnels[PersistentTunnel.key(settings)] = PersistentTunnel(
                settings: settings, origin: command, tunnelID: id)
        }
        return id
    }

    /// Binds the tunnel's socket, asks the engine for an SCCRQ and sends it.
    func startLocalTunnel(_ settings: TunnelSettings, origin: ParsedCommand? = nil) throws(DaemonError) -> UInt16 {
        guard let destination = settings.destination else { throw .missingParameter("dest_ipaddr is required") }
        let peer = IPv4SocketAddress(address: destination.value, port: UInt16(settings.peerUDPPort))
        let local = IPv4SocketAddress(address: settings.source?.value ?? 0, port: UInt16(settings.ourUDPPort ?? 0))
        guard let io else { throw .resource("no I/O edge to open the tunnel's socket") }
        let socket = try io.bindTunnelSocket(local)
        let opened: (tunnelID: UInt16, outputs: [EngineOutput])
        do {
            opened = try engine.openTunnel(to: peer, settings: settings, now: clock())
        } catch {
            io.discardSocket(socket)
            throw error
        }
        var record = TunnelRecord(
            tunnelID: opened.tunnelID, settings: settings, peer: peer, createdLocally: true, createdAt: wallClock())
        record.local = io.visibleAddress(socket.localAddress, toward: peer)
        record.origin = origin
        tunnels[opened.tunnelID] = record
        counters.tunnelsCreated += 1
        do {
            // Not connected yet: the SCCRP may come from another port (RFC 2661 8.1).
            try io.attachTunnelSocket(socket, tunnelID: opened.tunnelID, connectTo: nil)
        } catch {
            logger.warning("tunnel \(opened.tunnelID): \(error)")
        }
        logger.notice(
            "tunnel \(opened.tunnelID)\(label(record)) created locally: SCCRQ to \(peer) from \(record.local ?? socket.localAddress)"
        )
        // Hook: tunnel created.
        let refusal = pluginsLocalTunnelCreated(opened.tunnelID)
        perform(opened.outputs)
        if let refusal {
            // The SCCRQ is out: StopCCN with the plugin's result code follows it.
            perform(engine.closeTunnel(opened.tunnelID, refusal: Self.wireRefusal(refusal), now: clock()))
            throw .denied("tunnel create refused by plugin \(refusal.plugin ?? "host"): \(refusal.reason)")
        }
        return opened.tunnelID
    }

    /// `tunnel delete`: StopCCN; a persistent tunnel is forgotten, not retried.
    public func deleteTunnel(_ id: UInt16) {
        if let record = tunnels[id] {
            persistentTunnels[PersistentTunnel.key(record.settings)] = nil
            // Gone for the operator at once: the name is free and `config
            // save` no longer writes it, though the control connection
            // lingers (closing) until the peer acks the StopCCN or gives up.
            tunnels[id]?.isDeleted = true
            tunnels[id]?.origin = nil
            queuedSessions[id] = nil
        }
        perform(engine.closeTunnel(id, now: clock()))
    }

    func modifyTunnel(_ id: UInt16, _ args: [ParameterName: ConfigValue]) throws(DaemonError) {
        guard var record = tunnels[id] else { throw .tunnelNotFound("tunnel \(id)") }
        if let v = args[.traceFlags]?.traceFlagsValue { record.settings.traceFlags = v }
        if let v = args[.maxSessions]?.integerValue { record.settings.maxSessions = v }
        if let v = args[.persist]?.boolValue { record.settings.persist = v }
        if let v = args[.mtu]?.integerValue { record.settings.mtu = v }
        if let v = args[.idleTimeout]?.integerValue { record.settings.idleTimeout = v }
        if let v = args[.useUDPChecksums]?.boolValue { record.settings.useUDPChecksums = v }
        if let v = args[.sessionProfileName]?.stringValue { record.settings.sessionProfileName = v }
        if let v = args[.pppProfileName]?.stringValue { record.settings.pppProfileName = v }
        tunnels[id] = record
        let key = PersistentTunnel.key(record.settings)
        if record.createdLocally {
            if record.settings.persist, persistentTunnels[key] == nil {
                persistentTunnels[key] = PersistentTunnel(settings: record.settings, tunnelID: id)
            } else if !record.settings.persist {
                persistentTunnels[key] = nil
            }
        }
    }

    /// The tunnel named by `tunnel_id` or `tunnel_name`.
    func tunnelID(_ args: [ParameterName: ConfigValue]) throws(DaemonError) -> UInt16 {
        if let id = args[.tunnelID]?.integerValue {
            guard let id = UInt16(exactly: id), tunnels[id] != nil else { throw .tunnelNotFound("tunnel_id \(id)") }
            return id
        }
        if let name = args[.tunnelName]?.stringValue {
            guard let record = tunnels.values.first(where: { $0.name == name }) else {
                throw .tunnelNotFound("tunnel_name '\(name)'")
            }
            return record.tunnelID
        }
        throw .missingParameter("give tunnel_id or tunnel_name")
    }

    // MARK: - Sessions

    /// `session create`: opened now if the tunnel is up, else when it comes up.
    /// Returns session id 0 when queued.
    public func createSession(_ command: ParsedCommand) throws(DaemonError) -> (UInt16, UInt16) {
        let tid = try tunnelID(command.arguments)
        let record = tunnels[tid]!
        if let refusal = sessionLimit(in: record) {
            counters.sessionsRefused += 1
            logger.warning("refused session create in tunnel \(tid): \(refusal.reason)")
            throw refusal.isCapacityLimit
                ? .limit("session create refused: \(refusal.reason)")
                : .denied("session create refused: \(refusal.reason)")
        }
        _ = try resolver.session(command, tunnel: record.settings)
        let key = PersistentTunnel.key(record.settings)
        if record.createdLocally, persistentTunnels[key]?.tunnelID == tid {
            persistentTunnels[key]!.sessions.append(command)
        }
        guard record.state == .established else {
            queuedSessions[tid, default: []].append(command)
            logger.info("session create queued until tunnel \(tid) is up")
            return (tid, 0)
        }
        return (tid, try openLocalSession(command, tunnelID: tid))
    }

    func openLocalSession(_ command: ParsedCommand, tunnelID tid: UInt16) throws(DaemonError) -> UInt16 {
        guard let record = tunnels[tid] else { throw .tunnelNotFound("tunnel \(tid)") }
        var settings = try resolver.session(command, tunnel: record.settings)
        if settings.sessionType == nil { settings.sessionType = record.createdLocally ? .laic : .lnoc }
        let opened = try engine.openSession(in: tid, settings: settings, now: clock())
        tunnels[tid]?.sessions[opened.sessionID] = SessionRecord(
            sessionID: opened.sessionID, tunnelID: tid, settings: settings,
            createdLocally: true, createdAt: wallClock(), origin: command)
        counters.sessionsCreated += 1
        logger.info("session \(opened.sessionID) in tunnel \(tid) created locally (\(settings.sessionType!.rawValue))")
        // Hook: session created.
        pluginsLocalSessionCreated(tunnelID: tid, sessionID: opened.sessionID)
        perform(opened.outputs)
        return opened.sessionID
    }

    func sessionID(_ args: [ParameterName: ConfigValue], tunnel tid: UInt16) throws(DaemonError) -> UInt16 {
        let sessions = tunnels[tid]?.sessions ?? [:]
        if let id = args[.sessionID]?.integerValue {
            guard let id = UInt16(exactly: id), sessions[id] != nil else {
                throw .sessionNotFound("session_id \(id) in tunnel \(tid)")
            }
            return id
        }
        if let name = args[.sessionName]?.stringValue {
            guard let session = sessions.values.first(where: { $0.name == name }) else {
                throw .sessionNotFound("session_name '\(name)' in tunnel \(tid)")
            }
            return session.sessionID
        }
        throw .missingParameter("give session_id or session_name")
    }

    /// What `config save` appends after system and profiles: the locally
    /// created tunnels (and persistent ones waiting to be recreated), each
    /// followed by its locally created sessions, as they were given.
    func localCreateCommands() -> [ParsedCommand] {
        var commands: [ParsedCommand] = []
        var saved: Set<String> = []
        for record in tunnels.values.sorted(by: {
            $0.createdAt == $1.createdAt ? $0.tunnelID < $1.tunnelID : $0.createdAt < $1.createdAt
        }) {
            guard record.createdLocally, let origin = record.origin else { continue }
            commands.append(origin)
            saved.insert(PersistentTunnel.key(record.settings))
            let key = PersistentTunnel.key(record.settings)
            if let entry = persistentTunnels[key], entry.tunnelID == record.tunnelID {
                commands += entry.sessions
            } else {
                commands += (queuedSessions[record.tunnelID] ?? [])
                commands += record.sessions.values.sorted { $0.sessionID < $1.sessionID }.compactMap(\.origin)
            }
        }
        for (key, entry) in persistentTunnels.sorted(by: { $0.key < $1.key }) where !saved.contains(key) {
            if let origin = entry.origin { commands.append(origin) }
            commands += entry.sessions
        }
        return commands
    }

    // MARK: - Profiles

    func profileCommand(_ kind: ProfileKind, _ action: ProfileAction, _ command: ParsedCommand) throws(DaemonError)
        -> String
    {
        let name = command.string(.profileName) ?? "default"
        switch action {
        case .create, .modify, .delete, .unset:
            try applyToModel(command)
            // (No profile hooks: the plugin host has none.)
            return ""
        case .list:
            return profiles.names(kind).joined(separator: "\n")
        case .show:
            guard let values = profiles.explicitValues(kind, name) else {
                throw .profileNotFound("\(kind.rawValue) profile '\(name)'")
            }
            return ParameterTables.profile(kind).map { spec in
                let value = SecretMask.shown(values[spec.name] ?? spec.defaultValue, for: spec.name)
                return "  \(spec.name.rawValue): \(render(value))"
            }.joined(separator: "\n")
        }
    }

    /// System and profile changes: L2TPConfig's model checks and applies them.
    func applyToModel(_ command: ParsedCommand) throws(DaemonError) {
        do {
            try resolver.model.apply(command)
        } catch {
            throw DaemonError(modelError: error)
        }
    }

    // MARK: - Shutdown

    /// SIGTERM: refuse new work, StopCCN "being shut down" (result 6) to
    /// every peer (RFC 2661 5.7), which covers the sessions (6.4): no CDN
    /// each. In this one batch the StopCCNs go out and the daemon's own
    /// bookkeeping and log line for every session are done first; then, in
    /// one burst, the plugins' session/tunnel hooks (ppp_unix: SIGTERM to
    /// every pppd) and one data-path teardown per tunnel (the batch's `BatchPlan`).
    public func beginShutdown() {
        isShuttingDown = true
        persistentTunnels.removeAll()
        queuedSessions.removeAll()
        if !tunnels.isEmpty {
            logger.info("sending StopCCN to \(tunnels.count) peer(s) (shutting down)")
        }
        perform(engine.closeAllTunnels(now: clock()))
    }
}

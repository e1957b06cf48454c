import L2TPConfig
import L2TPDataPath
import L2TPManagement
import L2TPPluginHost
import NIOCore
import ONCRPC

#if canImport(Glibc)
    import Glibc
#endif

/// Serves program 300773 (docs/management-rpc.md) from the daemon: each
/// procedure's request becomes a `ParsedCommand` built from its typed
/// parameters (`CommandParser.validatedCommand`: one exact name per parameter,
/// each value converted by its type, no command text in between), runs
/// through `Daemon.execute`'s path on the event loop, and its result is
/// returned as typed records.
public struct DaemonManagementHandler: ManagementHandler {
    let runtime: DaemonRuntime

    public init(runtime: DaemonRuntime) { self.runtime = runtime }

    /// Builds `path` from the request's parameters, then runs `body` on the loop.
    func run(
        _ path: CommandPath, _ request: ManagementRequest,
        _ body: @escaping @Sendable (Daemon, ParsedCommand) throws(DaemonError) -> ManagementReply
    ) async -> ManagementReply {
        switch Self.command(path, request) {
        case .parsed(let command): return await run(command, body)
        case .rejected(let reply): return reply
        }
    }

    /// Runs `body` with `command` on the loop.
    func run(
        _ command: ParsedCommand,
        _ body: @escaping @Sendable (Daemon, ParsedCommand) throws(DaemonError) -> ManagementReply
    ) async -> ManagementReply {
        let runtime = self.runtime
        do {
            return try await runtime.loop.submit { () throws -> ManagementReply in
                try body(runtime.daemon, command)
            }.get()
        } catch let error as DaemonError {
            return .failure(Self.status(error), error.message)
        } catch {
            // Only the loop itself can fail here: it is gone because the daemon is stopping.
            return .failure(.busy, "openl2tpd is shutting down (\(error))")
        }
    }

    /// Runs a change through `Daemon.execute` and answers with no records.
    func change(_ path: CommandPath, _ request: ManagementRequest) async -> ManagementReply {
        await run(path, request) { daemon, command throws(DaemonError) in
            try daemon.execute(command)
            return .success()
        }
    }

    /// System and profile changes: tried on a copy of the model first so a
    /// refusal keeps L2TPConfig's error kind (profile not found, exists, default
    /// not deletable) for the status; then carried out by `Daemon.execute`.
    func modelChange(_ path: CommandPath, _ request: ManagementRequest) async -> ManagementReply {
        await run(path, request) { daemon, command throws(DaemonError) in
            var trial = daemon.resolver.model
            do {
                try trial.apply(command)
            } catch let error as ConfigError {
                return .failure(Self.status(error), error.message)
            } catch {
                return .failure(.invalidArgument, "\(error)")
            }
            try daemon.execute(command)
            return .success()
        }
    }

    /// The request as the procedure's command, or the reply refusing it.
    enum Parsed {
        case parsed(ParsedCommand)
        case rejected(ManagementReply)
    }

    /// Each parameter of the request is one argument of `path`: its name is
    /// looked up whole in L2TPConfig's tables (an exact parameter or bare
    /// keyword of the command), its value converted by that parameter's type,
    /// then the command is validated. The request is never rendered to text,
    /// so no name or value can become another argument or command.
    static func command(_ path: CommandPath, _ request: ManagementRequest) -> Parsed {
        do {
            let arguments = request.parameters.map { (name: $0.name, value: $0.value) }
            return .parsed(try CommandParser().validatedCommand(path, arguments: arguments, file: "rpc"))
        } catch {
            return .rejected(.failure(status(error), error.message))
        }
    }

    static func status(_ error: ConfigError) -> ManagementStatus {
        switch error.kind {
        case .unknownParameter, .ambiguousParameter, .unknownKeyword, .ambiguousKeyword: return .unknownParameter
        case .missingParameter: return .missingParameter
        case .conflictingParameters: return .conflictingParameters
        case .profileNotFound: return .profileNotFound
        case .profileExists: return .profileExists
        case .profileNotDeletable: return .defaultProfileNotDeletable
        default: return .badParameterValue
        }
    }

    /// The status of a daemon refusal, from its kind (never from its text).
    static func status(_ error: DaemonError) -> ManagementStatus {
        switch error.kind {
        case .tunnelNotFound: return .tunnelNotFound
        case .sessionNotFound: return .sessionNotFound
        case .profileNotFound: return .profileNotFound
        case .notFound: return .notFound
        case .tunnelExists: return .tunnelExists
        case .sessionExists: return .sessionExists
        case .profileExists: return .profileExists
        case .limitReached: return .limitReached
        case .creationDenied: return .creationDenied
        case .notDeletable: return .defaultProfileNotDeletable
        case .missingParameter: return .missingParameter
        case .invalidCommand, .configuration, .usage: return .invalidArgument
        case .portInUse, .socket, .pidFile: return .busy
        }
    }

    // MARK: - Procedures

    public func appInfoGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        let runtime = self.runtime
        return
            (try? await runtime.loop.submit { () -> ManagementReply in
                .success([
                    ManagementRecord(
                        kind: "app",
                        fields: [
                            ManagementField("name", .string("openl2tpd")),
                            ManagementField("version", .string(OpenL2TPVersion.string)),
                            ManagementField("build", .string("swift")),
                            ManagementField("rpc_version", .uint(UInt64(L2TPManagementProtocol.version))),
                            ManagementField("plugins", .string(runtime.daemon.options.plugins.joined(separator: ","))),
                        ])
                ])
            }.get()) ?? .failure(.busy, "event loop unavailable")
    }

    public func systemGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.systemShow, ManagementRequest()) { daemon, _ in .success([daemon.systemRecord()]) }
    }

    public func systemModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await modelChange(.systemModify, request)
    }

    public func tunnelCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.tunnelCreate, request) { daemon, command throws(DaemonError) in
            let id = try daemon.createTunnel(command)
            return .success([
                ManagementRecord(
                    kind: "tunnel",
                    fields: [
                        ManagementField("tunnel_id", .uint(UInt64(id))),
                        ManagementField("tunnel_name", command.string(.tunnelName).map { .string($0) } ?? .none),
                    ])
            ])
        }
    }

    public func tunnelDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await change(.tunnelDelete, request)
    }

    public func tunnelModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await change(.tunnelModify, request)
    }

    public func tunnelGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.tunnelShow, request) { daemon, command throws(DaemonError) in
            let id = try daemon.tunnelID(command.arguments)
            return .success(daemon.tunnels[id].map { [daemon.tunnelRecord($0, detailed: true)] } ?? [])
        }
    }

    public func tunnelList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.tunnelList, request) { daemon, command in
            var rows = daemon.tunnels.values.sorted { $0.tunnelID < $1.tunnelID }
            if command.keywords.contains(.localOnly) { rows = rows.filter(\.createdLocally) }
            if command.keywords.contains(.remoteOnly) { rows = rows.filter { !$0.createdLocally } }
            return .success(rows.map { daemon.tunnelRecord($0, detailed: false) })
        }
    }

    public func tunnelUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        .failure(.notSupported, "tunnel unset is not supported: use tunnel modify with the default value")
    }

    public func sessionCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.sessionCreate, request) { daemon, command throws(DaemonError) in
            let (tid, sid) = try daemon.createSession(command)
            return .success([
                ManagementRecord(
                    kind: "session",
                    fields: [
                        ManagementField("tunnel_id", .uint(UInt64(tid))),
                        // 0 while the session waits for its tunnel to come up.
                        ManagementField("session_id", .uint(UInt64(sid))),
                        ManagementField("session_name", command.string(.sessionName).map { .string($0) } ?? .none),
                    ])
            ])
        }
    }

    public func sessionDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await change(.sessionDelete, request)
    }

    public func sessionModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await change(.sessionModify, request)
    }

    public func sessionGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.sessionShow, request) { daemon, command throws(DaemonError) in
            let tid = try daemon.tunnelID(command.arguments)
            let sid = try daemon.sessionID(command.arguments, tunnel: tid)
            return .success(daemon.tunnels[tid]?.sessions[sid].map { [daemon.sessionRecord($0, detailed: true)] } ?? [])
        }
    }

    public func sessionList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.sessionList, request) { daemon, command throws(DaemonError) in
            let tid = try daemon.tunnelID(command.arguments)
            var sessions = (daemon.tunnels[tid]?.sessions.values).map { Array($0) } ?? []
            sessions.sort { $0.sessionID < $1.sessionID }
            if command.keywords.contains(.localOnly) { sessions = sessions.filter(\.createdLocally) }
            if command.keywords.contains(.remoteOnly) { sessions = sessions.filter { !$0.createdLocally } }
            return .success(sessions.map { daemon.sessionRecord($0) })
        }
    }

    public func sessionUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        .failure(.notSupported, "session unset is not supported: use session modify with the default value")
    }

    // MARK: Profiles

    func profile(_ kind: ProfileKind, _ action: ProfileAction, _ request: ManagementRequest) async -> ManagementReply {
        switch action {
        case .create, .modify, .delete, .unset:
            return await modelChange(.profile(kind, action), request)
        case .list:
            return await run(.profile(kind, .list), request) { daemon, _ in
                .success(
                    daemon.profiles.names(kind).map {
                        ManagementRecord(
                            kind: "\(kind.rawValue)_profile", fields: [ManagementField("profile_name", .string($0))])
                    })
            }
        case .show:
            return await run(.profile(kind, .show), request) { daemon, command throws(DaemonError) in
                let name = command.string(.profileName) ?? "default"
                guard let values = daemon.profiles.explicitValues(kind, name) else {
                    throw .profileNotFound("\(kind.rawValue) profile '\(name)'")
                }
                var fields = [ManagementField("profile_name", .string(name))]
                for spec in ParameterTables.profile(kind) {
                    let value = SecretMask.shown(values[spec.name] ?? spec.defaultValue, for: spec.name)
                    fields.append(ManagementField(spec.name.rawValue, Self.value(value)))
                }
                return .success([ManagementRecord(kind: "\(kind.rawValue)_profile", fields: fields)])
            }
        }
    }

    public func tunnelProfileCreate(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .create, r)
    }
    public func tunnelProfileDelete(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .delete, r)
    }
    public func tunnelProfileModify(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .modify, r)
    }
    public func tunnelProfileGet(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .show, r)
    }
    public func tunnelProfileList(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .list, r)
    }
    public func tunnelProfileUnset(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.tunnel, .unset, r)
    }
    public func sessionProfileCreate(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .create, r)
    }
    public func sessionProfileDelete(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .delete, r)
    }
    public func sessionProfileModify(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .modify, r)
    }
    public func sessionProfileGet(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .show, r)
    }
    public func sessionProfileList(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .list, r)
    }
    public func sessionProfileUnset(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.session, .unset, r)
    }
    public func pppProfileCreate(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .create, r)
    }
    public func pppProfileDelete(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .delete, r)
    }
    public func pppProfileModify(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .modify, r)
    }
    public func pppProfileGet(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .show, r)
    }
    public func pppProfileList(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .list, r)
    }
    public func pppProfileUnset(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.ppp, .unset, r)
    }
    public func peerProfileCreate(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .create, r)
    }
    public func peerProfileDelete(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .delete, r)
    }
    public func peerProfileModify(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .modify, r)
    }
    public func peerProfileGet(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .show, r)
    }
    public func peerProfileList(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .list, r)
    }
    public func peerProfileUnset(_ r: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await profile(.peer, .unset, r)
    }

    // MARK: Peers, users, statistics, debug, config

    public func peerGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.peerShow, request) { daemon, command in
            let address = command[.peerIPAddress]?.ipv4Value?.value ?? 0
            return .success(daemon.peerRecords().filter { $0["peer_ipaddr"] == .ipv4(address) })
        }
    }

    public func peerList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.peerList, request) { daemon, _ in .success(daemon.peerRecords()) }
    }

    public func userList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.userList, request) { daemon, _ in
            var records: [ManagementRecord] = []
            for t in daemon.tunnels.values.sorted(by: { $0.tunnelID < $1.tunnelID }) {
                for s in t.sessions.values.sorted(by: { $0.sessionID < $1.sessionID }) {
                    // pppd's view first (the name the peer authenticated with), as `session show`.
                    let ppp = daemon.pppState(tunnelID: t.tunnelID, sessionID: s.sessionID)
                    guard let user = ppp?.userName ?? s.settings.userName else { continue }
                    records.append(
                        ManagementRecord(
                            kind: "user",
                            fields: [
                                ManagementField("user_name", .string(user)),
                                ManagementField("tunnel_id", .uint(UInt64(t.tunnelID))),
                                ManagementField("session_id", .uint(UInt64(s.sessionID))),
                                ManagementField(
                                    "interface_name",
                                    (ppp?.interfaceName ?? s.settings.interfaceName).map { .string($0) } ?? .none),
                                ManagementField("created", .uint(UInt64(s.createdAt))),
                            ]))
                }
            }
            return .success(records)
        }
    }

    public func statisticsGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.systemShow, ManagementRequest()) { daemon, _ in
            let c = daemon.counters
            var records = [
                ManagementRecord(
                    kind: "system_stats",
                    fields: [
                        ManagementField("tunnels_created", .uint(c.tunnelsCreated)),
                        ManagementField("tunnels_refused", .uint(c.tunnelsRefused)),
                        ManagementField("tunnels_recreated", .uint(c.tunnelsRecreated)),
                        ManagementField("sessions_created", .uint(c.sessionsCreated)),
                        ManagementField("sessions_refused", .uint(c.sessionsRefused)),
                    ])
            ]
            for row in daemon.engine.messageStatistics {
                records.append(
                    ManagementRecord(
                        kind: "message_stats",
                        fields: [
                            ManagementField("message", .string(row.name)),
                            ManagementField("rx_good", .uint(row.rxGood)),
                            ManagementField("rx_bad", .uint(row.rxBad)), ManagementField("tx", .uint(row.tx)),
                        ]))
            }
            return .success(records)
        }
    }

    public func debugGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await run(.debugShow, request) { daemon, command throws(DaemonError) in
            var flags = daemon.systemTraceFlags
            // The target's ids come first so `debug show` can name it (absent = system).
            var fields: [ManagementField] = []
            if command[.tunnelID] != nil || command[.tunnelName] != nil {
                let tid = try daemon.tunnelID(command.arguments)
                flags = daemon.tunnels[tid]!.settings.traceFlags
                fields.append(ManagementField("tunnel_id", .uint(UInt64(tid))))
                if command[.sessionID] != nil || command[.sessionName] != nil {
                    let sid = try daemon.sessionID(command.arguments, tunnel: tid)
                    flags = daemon.tunnels[tid]!.sessions[sid]!.settings.traceFlags
                    fields.append(ManagementField("session_id", .uint(UInt64(sid))))
                }
            }
            fields.append(ManagementField("trace_flags", .uint(UInt64(flags.rawValue))))
            return .success([ManagementRecord(kind: "debug", fields: fields)])
        }
    }

    public func debugModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await change(.debugModify, request)
    }

    public func configSave(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        // The text is taken on the loop (a consistent snapshot); a `file=` is
        // written here, off the loop, so a slow disk never stalls the daemon.
        var snapshot: ParsedCommand
        switch Self.command(.configSave, request) {
        case .parsed(let command): snapshot = command
        case .rejected(let reply): return reply
        }
        let file = snapshot.string(.file)
        snapshot.arguments[.file] = nil
        snapshot.argumentLocations[.file] = nil
        let reply = await run(snapshot) { daemon, command throws(DaemonError) in
            let text = try daemon.execute(command)
            return .success([ManagementRecord(kind: "config", fields: [ManagementField("text", .string(text))])])
        }
        guard reply.status.isSuccess, let file else { return reply }
        guard case .string(let text)? = reply.records.first?["text"] else { return reply }
        do {
            try writeTextFile(file, text)
            return .success()
        } catch {
            return .failure(.errno(EIO), error.message)
        }
    }

    static func value(_ value: ConfigValue) -> ManagementValue {
        switch value {
        case .notSet: return .none
        case .bool(let b): return .bool(b)
        case .integer(let n), .seconds(let n): return .int(Int64(n))
        case .ipv4(let a): return .ipv4(a.value)
        case .netmask(let m): return .string(m.description)
        case .choice(let s), .string(let s): return .string(s)
        case .traceFlags(let t): return .uint(UInt64(t.rawValue))
        case .connectSpeed(let c): return .string(c.description)
        }
    }
}

// MARK: - Records

extension Daemon {
    func systemRecord() -> ManagementRecord {
        let s = system
        return ManagementRecord(
            kind: "system",
            fields: [
                ManagementField("trace_flags", .uint(UInt64(systemTraceFlags.rawValue))),
                ManagementField("max_tunnels", .uint(UInt64(s.maxTunnels))),
                ManagementField("max_sessions", .uint(UInt64(s.maxSessions))),
                ManagementField("max_half_open_tunnels", .uint(UInt64(s.maxHalfOpenTunnels))),
                ManagementField("drain_tunnels", .bool(s.drainTunnels)),
                ManagementField("tunnel_establish_timeout", .uint(UInt64(s.tunnelEstablishTimeout))),
                ManagementField("session_establish_timeout", .uint(UInt64(s.sessionEstablishTimeout))),
                ManagementField("tunnel_persist_pend_timeout", .uint(UInt64(s.tunnelPersistPendTimeout))),
                ManagementField("session_persist_pend_timeout", .uint(UInt64(s.sessionPersistPendTimeout))),
                ManagementField("deny_local_tunnel_creates", .bool(s.denyLocalTunnelCreates)),
                ManagementField("deny_remote_tunnel_creates", .bool(s.denyRemoteTunnelCreates)),
                ManagementField("num_tunnels", .uint(UInt64(tunnels.count))),
                ManagementField("num_sessions", .uint(UInt64(sessionCount))),
                ManagementField("udp_port", .uint(UInt64(listenAddress.port))),
            ])
    }

    func tunnelRecord(_ r: TunnelRecord, detailed: Bool) -> ManagementRecord {
        var fields = [
            ManagementField("tunnel_id", .uint(UInt64(r.tunnelID))),
            ManagementField("peer_tunnel_id", .uint(UInt64(r.peerTunnelID))),
            ManagementField("peer_ipaddr", .ipv4(r.peer.address)),
            ManagementField("our_ipaddr", r.local.map { .ipv4($0.address) } ?? .none),
            ManagementField("config_id", .uint(UInt64(r.settings.configID))),
            ManagementField("state", .string(r.state.rawValue)),
            ManagementField("created_by", .string(r.createdLocally ? "local" : "remote")),
            ManagementField("tunnel_name", r.name.map { .string($0) } ?? .none),
            ManagementField("create_time", .uint(UInt64(max(0, r.createdAt)))),
        ]
        guard detailed else { return ManagementRecord(kind: "tunnel", fields: fields) }
        let s = r.settings
        fields += [
            ManagementField("peer_udp_port", .uint(UInt64(r.peer.port))),
            ManagementField("our_udp_port", .uint(UInt64(r.local?.port ?? 0))),
            ManagementField("peer_host_name", r.peerHostName.map { .string($0) } ?? .none),
            ManagementField("persist", .bool(s.persist)),
            ManagementField("auth_mode", .string(s.authMode.rawValue)),
            ManagementField("hide_avps", .bool(s.hideAVPs)),
            ManagementField("hello_timeout", .uint(UInt64(s.helloTimeout))),
            ManagementField("max_retries", .uint(UInt64(s.maxRetries))),
            ManagementField("retry_timeout", .uint(UInt64(s.retryTimeout))),
            ManagementField("max_sessions", .uint(UInt64(s.maxSessions))),
            ManagementField("mtu", .uint(UInt64(s.mtu))),
            ManagementField("trace_flags", .uint(UInt64(s.traceFlags.rawValue))),
            ManagementField("num_sessions", .uint(UInt64(r.sessions.count))),
            ManagementField("rx_packets", .uint(r.counters.rxPackets)),
            ManagementField("rx_bytes", .uint(r.counters.rxBytes)),
            ManagementField("tx_packets", .uint(r.counters.txPackets)),
            ManagementField("tx_bytes", .uint(r.counters.txBytes)),
        ]
        // Data packets (the kernel tunnel's counters; zeros before the tunnel is up).
        let data = dataPath.tunnelStatistics(tunnelID: r.tunnelID) ?? .zero
        fields += Self.dataFields(data, prefix: "data_")
        if let c = engine.tunnelControlStatistics(r.tunnelID) {
            fields += [
                ManagementField("retransmissions", .uint(c.retransmissions)),
                ManagementField("messages_sent", .uint(c.messagesSent)),
                ManagementField("messages_received", .uint(c.messagesReceived)),
            ]
        }
        return ManagementRecord(kind: "tunnel", fields: fields)
    }

    /// `session show`/`list`: the fields of OpenL2TP's quick-start block
    /// (type, state, creation time, peer session id, user, sequencing, framing,
    /// bearer, connect speed) in the names `l2tpconfig` reads.
    /// With `detailed` (`session show`), also the peer configuration data the
    /// call's messages carried and the data plane's counters (kernel: asked over
    /// netlink now; null data path: zeros), as the quick start prints them.
    func sessionRecord(_ s: SessionRecord, detailed: Bool = false) -> ManagementRecord {
        var record = sessionSummaryRecord(s)
        guard detailed else { return record }
        if let call = engine.sessionCallDetails(tunnelID: s.tunnelID, sessionID: s.sessionID) {
            record.fields += [
                ManagementField("peer_sequencing_required", .bool(call.sequencingRequired)),
                ManagementField("peer_framing_type", call.framingType.map { .string($0) } ?? .none),
                ManagementField("peer_bearer_type", call.bearerType.map { .string($0) } ?? .none),
                ManagementField(
                    "peer_connect_speed",
                    call.txConnectSpeed.map { tx in
                        .string(call.rxConnectSpeed.map { "\(tx):\($0)" } ?? String(tx))
                    } ?? .none),
            ]
        }
        if let accm = s.peerACCM {
            // The LNS's last Set-Link-Info (RFC 2661 6.14).
            record.fields += [
                ManagementField("peer_send_accm", .uint(UInt64(accm.sendACCM))),
                ManagementField("peer_receive_accm", .uint(UInt64(accm.receiveACCM))),
            ]
        }
        let data = dataPath.sessionStatistics(tunnelID: s.tunnelID, sessionID: s.sessionID) ?? .zero
        record.fields += Self.dataFields(data, prefix: "")
        return record
    }

    /// rx/tx packets, bytes and errors of a data plane counter set.
    static func dataFields(_ d: DataPathStatistics, prefix: String) -> [ManagementField] {
        [
            ManagementField(prefix + "rx_packets", .uint(d.rxPackets)),
            ManagementField(prefix + "rx_bytes", .uint(d.rxBytes)),
            ManagementField(prefix + "rx_errors", .uint(d.rxErrors)),
            ManagementField(prefix + "tx_packets", .uint(d.txPackets)),
            ManagementField(prefix + "tx_bytes", .uint(d.txBytes)),
            ManagementField(prefix + "tx_errors", .uint(d.txErrors)),
        ]
    }

    func sessionSummaryRecord(_ s: SessionRecord) -> ManagementRecord {
        let settings = s.settings
        let tunnelCreatedLocally = tunnels[s.tunnelID]?.createdLocally ?? true
        let type = settings.sessionType ?? (tunnelCreatedLocally ? .laic : .lnoc)
        // pppd reports the interface it made and the user the peer authenticated as.
        let ppp = pppState(tunnelID: s.tunnelID, sessionID: s.sessionID)
        return ManagementRecord(
            kind: "session",
            fields: [
                ManagementField("tunnel_id", .uint(UInt64(s.tunnelID))),
                ManagementField("session_id", .uint(UInt64(s.sessionID))),
                ManagementField("peer_session_id", .uint(UInt64(s.peerSessionID))),
                ManagementField("state", .string(s.state.rawValue)),
                ManagementField("session_name", s.name.map { .string($0) } ?? .none),
                ManagementField("user_name", (ppp?.userName ?? settings.userName).map { .string($0) } ?? .none),
                ManagementField(
                    "interface_name", (ppp?.interfaceName ?? settings.interfaceName).map { .string($0) } ?? .none),
                ManagementField("session_type", .string(type.rawValue)),
                ManagementField("created_by", .string(s.createdLocally ? "local" : "remote")),
                ManagementField("create_time", .uint(UInt64(max(0, s.createdAt)))),
                ManagementField("sequencing_required", .bool(settings.sequencingRequired)),
                ManagementField("use_sequence_numbers", .bool(settings.useSequenceNumbers)),
                ManagementField("reorder_timeout", .uint(UInt64(max(0, settings.reorderTimeout)))),
                ManagementField("trace_flags", .uint(UInt64(settings.traceFlags.rawValue))),
                ManagementField("framing_type", .string(settings.framingType.rawValue)),
                ManagementField("bearer_type", .string(settings.bearerType.rawValue)),
                ManagementField(
                    "connect_speed",
                    .string(
                        settings.rxConnectSpeed.map { "\(settings.txConnectSpeed):\($0)" }
                            ?? String(settings.txConnectSpeed))),
                ManagementField("use_ppp_proxy", .bool(tunnels[s.tunnelID]?.settings.allowPPPProxy ?? false)),
                ManagementField("session_profile_name", .string(settings.sessionProfileName)),
                ManagementField("ppp_profile_name", .string(settings.pppProfileName)),
            ])
    }

    func peerRecords() -> [ManagementRecord] {
        var byPeer: [UInt32: (local: UInt32, count: UInt64)] = [:]
        for t in tunnels.values {
            byPeer[t.peer.address, default: (t.local?.address ?? 0, 0)].count += 1
        }
        return byPeer.sorted { $0.key < $1.key }.map { peer, info in
            ManagementRecord(
                kind: "peer",
                fields: [
                    ManagementField("peer_ipaddr", .ipv4(peer)),
                    ManagementField("local_ipaddr", .ipv4(info.local)),
                    ManagementField("num_tunnels", .uint(info.count)),
                ])
        }
    }
}

import L2TPConfig
import L2TPManagement
import Synchronization

@testable import L2TPConfigCLI

/// A stand-in for openl2tpd behind the real RPC server: it keeps state the way
/// the daemon does (a `ConfigModel` for system settings and profiles, live
/// tunnels and sessions), validates requests with the same grammar, and
/// records every call, so tests check each CLI command twice: by what the
/// CLI printed and by what the daemon now holds.
final class FakeDaemon: Sendable {
    struct Tunnel: Hashable {
        var id: UInt32
        var arguments: [ParameterName: ConfigValue]
        var createdByAdmin = true
        var traceFlags: UInt64 = 0
        var name: String? { arguments[.tunnelName]?.stringValue }
    }

    struct Session: Hashable {
        var tunnelID: UInt32
        var id: UInt32
        var arguments: [ParameterName: ConfigValue]
        var traceFlags: UInt64 = 0
        var name: String? { arguments[.sessionName]?.stringValue }
    }

    struct State {
        var model = ConfigModel()
        var tunnels: [UInt32: Tunnel] = [:]
        var sessions: [Session] = []
        var nextTunnelID: UInt32 = 17767
        var nextSessionID: UInt32 = 9158
        var systemTraceFlags: UInt64 = 0
        var calls: [(ManagementProcedure, ManagementRequest)] = []
        /// false: answer L2TP_CONFIG_SAVE with "not supported", as a daemon
        /// without it would.
        var configSaveSupported = true
    }

    static let createTime: UInt64 = 1_202_132_710  // Mon Feb  4 13:45:10 2008 UTC

    let state = Mutex(State())

    var snapshot: State { state.withLock { $0 } }
    var procedures: [ManagementProcedure] { state.withLock { $0.calls.map(\.0) } }

    /// A tunnel the peer created (shown with `*` in `tunnel list`).
    func addRemoteTunnel(dest: String) {
        state.withLock { state in
            let id = state.nextTunnelID
            state.nextTunnelID += 1
            state.tunnels[id] = Tunnel(
                id: id, arguments: [.destIPAddress: .ipv4(IPv4Address(dotted: dest)!)],
                createdByAdmin: false)
        }
    }

    // MARK: - Dispatch

    func perform(_ procedure: ManagementProcedure, _ request: ManagementRequest) -> ManagementReply {
        state.withLock { state in
            state.calls.append((procedure, request))
            switch procedure {
            case .appInfoGet:
                return .success([Self.record("app", [("name", .string("openl2tpd")), ("version", .string("fake"))])])
            case .statisticsGet:
                return .success(
                    ["SCCRQ", "SCCRP"].enumerated().map { index, name in
                        Self.record(
                            "message_stats",
                            [
                                ("message", .string(name)), ("rx_good", .uint(UInt64(index + 1))),
                                ("rx_bad", .uint(0)), ("tx", .uint(UInt64(index + 2))),
                            ])
                    })
            case .configSave:
                guard state.configSaveSupported else { return .failure(.notSupported, "config save: not supported") }
                return .success([Self.record("config", [("text", .string(Self.configText(state)))])])
            default:
                break
            }
            let command: ParsedCommand
            switch Self.command(for: procedure, request) {
            case .failure(let reply): return reply
            case .success(let parsed): command = parsed
            }
            return Self.perform(command, procedure, &state)
        }
    }

    enum Outcome {
        case success(ParsedCommand)
        case failure(ManagementReply)
    }

    /// The request as the command the CLI typed, parsed and validated with
    /// L2TPConfig like the daemon does.
    static func command(for procedure: ManagementProcedure, _ request: ManagementRequest)
        -> Outcome
    {
        guard
            let path = CommandPath.allCases.first(where: { path in
                RequestBuilder.procedure(for: ParsedCommand(path: path)) == procedure
            })
        else { return .failure(.failure(.notSupported, "no command for \(procedure.xdrName)")) }
        var words = path.words
        for parameter in request.parameters {
            if parameter.value == "yes", BareKeyword(rawValue: parameter.name) != nil {
                words.append(parameter.name)
            } else if parameter.value.isEmpty, case .profile(_, .unset) = path {
                words.append(parameter.name)
            } else {
                words.append("\(parameter.name)=\(CommandRenderer.quotedIfNeeded(parameter.value))")
            }
        }
        do throws(ConfigError) {
            let command = try CommandParser().parseCommand(words.joined(separator: " "), file: "<rpc>")
            if let problem = CommandValidator.validate(command).first { throw problem }
            return .success(command)
        } catch {
            return .failure(.failure(status(of: error), error.message))
        }
    }

    static func status(of error: ConfigError) -> ManagementStatus {
        switch error.kind {
        case .unknownParameter: .unknownParameter
        case .invalidValue: .badParameterValue
        case .missingParameter: .missingParameter
        case .profileNotFound: .profileNotFound
        case .profileExists: .profileExists
        case .profileNotDeletable: .defaultProfileNotDeletable
        case .conflictingParameters: .conflictingParameters
        default: .invalidArgument
        }
    }

    static func perform(_ command: ParsedCommand, _ procedure: ManagementProcedure, _ state: inout State)
        -> ManagementReply
    {
        switch command.path {
        case .systemModify, .profile(_, .create), .profile(_, .modify), .profile(_, .delete), .profile(_, .unset):
            do {
                try state.model.apply(command)
                return .success()
            } catch {
                return .failure(status(of: error), error.message)
            }
        case .systemShow:
            var fields: [(String, ManagementValue)] = SystemSettings.parameterSpecs.map { spec in
                (spec.name.rawValue, value(state.model.system.value(spec.name)))
            }
            fields += [
                ("num_tunnels", .uint(UInt64(state.tunnels.count))),
                ("num_sessions", .uint(UInt64(state.sessions.count))),
            ]
            return .success([record("system", fields)])
        case .profile(let kind, .show):
            let name = command.string(.profileName) ?? ""
            guard let values = state.model.profiles.explicitValues(kind, name) else {
                return .failure(.profileNotFound, "\(kind.rawValue) profile '\(name)' does not exist")
            }
            return .success([profileRecord(kind, name, values)])
        case .profile(let kind, .list):
            return .success(
                state.model.profiles.names(kind).map {
                    record("\(kind.rawValue)_profile", [("profile_name", .string($0))])
                })
        case .tunnelCreate:
            if let name = command.string(.tunnelName), state.tunnels.values.contains(where: { $0.name == name }) {
                return .failure(.tunnelExists, "tunnel_name: a tunnel named '\(name)' exists")
            }
            let id = state.nextTunnelID
            state.nextTunnelID += 1
            state.tunnels[id] = Tunnel(id: id, arguments: command.arguments)
            return .success([record("tunnel", [("tunnel_id", .uint(UInt64(id)))])])
        case .tunnelDelete, .tunnelModify, .tunnelShow:
            guard let id = findTunnel(command, state) else { return tunnelNotFound(command) }
            switch command.path {
            case .tunnelDelete:
                state.tunnels[id] = nil
                state.sessions.removeAll { $0.tunnelID == id }
                return .success()
            case .tunnelModify:
                for (name, value) in command.arguments where name != .tunnelID && name != .tunnelName {
                    state.tunnels[id]!.arguments[name] = value
                }
                return .success()
            default:
                return .success([tunnelRecord(state.tunnels[id]!, detailed: true)])
            }
        case .tunnelList:
            var tunnels = state.tunnels.values.sorted { $0.id < $1.id }
            if command.keywords.contains(.localOnly) { tunnels = tunnels.filter(\.createdByAdmin) }
            if command.keywords.contains(.remoteOnly) { tunnels = tunnels.filter { !$0.createdByAdmin } }
            return .success(tunnels.map { tunnelRecord($0, detailed: false) })
        case .sessionCreate:
            guard let tunnelID = findTunnel(command, state) else { return tunnelNotFound(command) }
            let id = state.nextSessionID
            state.nextSessionID += 1
            var arguments = command.arguments
            arguments[.tunnelID] = nil
            arguments[.tunnelName] = nil
            state.sessions.append(Session(tunnelID: tunnelID, id: id, arguments: arguments))
            return .success([
                record("session", [("tunnel_id", .uint(UInt64(tunnelID))), ("session_id", .uint(UInt64(id)))])
            ])
        case .sessionDelete, .sessionModify, .sessionShow:
            guard let index = findSession(command, state) else {
                return .failure(.sessionNotFound, "session: no such session")
            }
            switch command.path {
            case .sessionDelete:
                state.sessions.remove(at: index)
                return .success()
            case .sessionModify:
                for (name, value) in command.arguments
                where ![.tunnelID, .tunnelName, .sessionID, .sessionName].contains(name) {
                    state.sessions[index].arguments[name] = value
                }
                return .success()
            default:
                return .success([sessionRecord(state.sessions[index])])
            }
        case .sessionList:
            guard let tunnelID = findTunnel(command, state) else { return tunnelNotFound(command) }
            return .success(state.sessions.filter { $0.tunnelID == tunnelID }.map(sessionRecord))
        case .peerShow, .peerList:
            let peers = Dictionary(grouping: state.tunnels.values) {
                $0.arguments[.destIPAddress]?.ipv4Value?.value ?? 0
            }
            let wanted = command[.peerIPAddress]?.ipv4Value?.value
            let records = peers.keys.sorted().filter { wanted == nil || $0 == wanted }.map { address in
                record(
                    "peer",
                    [
                        ("peer_ipaddr", .ipv4(address)), ("local_ipaddr", .ipv4(0)),
                        ("num_tunnels", .uint(UInt64(peers[address]!.count))),
                    ])
            }
            if wanted != nil && records.isEmpty { return .failure(.peerNotFound, "peer_ipaddr: no such peer") }
            return .success(records)
        case .userList:
            return .success(
                state.sessions.compactMap { session in
                    guard let user = session.arguments[.userName]?.stringValue else { return nil }
                    return record(
                        "user",
                        [
                            ("tunnel_id", .uint(UInt64(session.tunnelID))),
                            ("session_id", .uint(UInt64(session.id))), ("user_name", .string(user)),
                            ("created", .uint(createTime)),
                        ])
                })
        case .debugModify, .debugShow:
            let flags = UInt64(command[.traceFlags]?.traceFlagsValue?.rawValue ?? 0)
            let modify = command.path == .debugModify
            if command[.sessionID] != nil || command[.sessionName] != nil {
                guard let index = findSession(command, state) else {
                    return .failure(.sessionNotFound, "no such session")
                }
                if modify {
                    state.sessions[index].traceFlags = flags
                    return .success()
                }
                let session = state.sessions[index]
                return .success([
                    record(
                        "debug",
                        [
                            ("tunnel_id", .uint(UInt64(session.tunnelID))),
                            ("session_id", .uint(UInt64(session.id))), ("trace_flags", .uint(session.traceFlags)),
                        ])
                ])
            }
            if command[.tunnelID] != nil || command[.tunnelName] != nil {
                guard let id = findTunnel(command, state) else { return tunnelNotFound(command) }
                if modify {
                    state.tunnels[id]!.traceFlags = flags
                    return .success()
                }
                return .success([
                    record(
                        "debug",
                        [("tunnel_id", .uint(UInt64(id))), ("trace_flags", .uint(state.tunnels[id]!.traceFlags))])
                ])
            }
            if modify {
                state.systemTraceFlags = flags
                return .success()
            }
            return .success([record("debug", [("trace_flags", .uint(state.systemTraceFlags))])])
        case .configSave, .configRestore:
            return .failure(.notSupported, "not a daemon command")
        }
    }

    // MARK: - Lookup

    static func findTunnel(_ command: ParsedCommand, _ state: State) -> UInt32? {
        if let id = command.integer(.tunnelID) { return state.tunnels[UInt32(id)] != nil ? UInt32(id) : nil }
        if let name = command.string(.tunnelName) { return state.tunnels.values.first { $0.name == name }?.id }
        return nil
    }

    static func findSession(_ command: ParsedCommand, _ state: State) -> Int? {
        guard let tunnelID = findTunnel(command, state) else { return nil }
        return state.sessions.firstIndex { session in
            session.tunnelID == tunnelID
                && (command.integer(.sessionID).map { UInt32($0) == session.id }
                    ?? (command.string(.sessionName) == session.name))
        }
    }

    static func tunnelNotFound(_ command: ParsedCommand) -> ManagementReply {
        let key = command[.tunnelID] != nil ? "tunnel_id" : "tunnel_name"
        let value = command[.tunnelID].map(ValueText.text) ?? command.string(.tunnelName) ?? ""
        return .failure(.tunnelNotFound, "\(key) \(value): no such tunnel")
    }

    // MARK: - Records

    static func record(_ kind: String, _ fields: [(String, ManagementValue)]) -> ManagementRecord {
        ManagementRecord(kind: kind, fields: fields.map { ManagementField($0.0, $0.1) })
    }

    static func value(_ value: ConfigValue) -> ManagementValue {
        switch value {
        case .notSet: .none
        case .bool(let flag): .bool(flag)
        case .integer(let number), .seconds(let number): .uint(UInt64(number))
        case .ipv4(let address): .ipv4(address.value)
        case .traceFlags(let flags): .uint(UInt64(flags.rawValue))
        default: .string(ValueText.text(value))
        }
    }

    static func profileRecord(_ kind: ProfileKind, _ name: String, _ values: [ParameterName: ConfigValue])
        -> ManagementRecord
    {
        record(
            "\(kind.rawValue)_profile",
            [("profile_name", .string(name))]
                + values.keys.sorted().map { ($0.rawValue, value(values[$0]!)) })
    }

    static func tunnelRecord(_ tunnel: Tunnel, detailed: Bool) -> ManagementRecord {
        var fields: [(String, ManagementValue)] = [("tunnel_id", .uint(UInt64(tunnel.id)))]
        if let name = tunnel.name { fields.append(("tunnel_name", .string(name))) }
        fields += [
            ("peer_ipaddr", value(tunnel.arguments[.destIPAddress] ?? .notSet)),
            ("our_ipaddr", value(tunnel.arguments[.srcIPAddress] ?? .ipv4(IPv4Address(0)))),
            ("config_id", .uint(UInt64(tunnel.arguments[.configID]?.integerValue ?? 0))),
            ("peer_tunnel_id", .uint(UInt64(tunnel.id) + 1000)), ("state", .string("ESTABLISHED")),
            ("created_by", .string(tunnel.createdByAdmin ? "local" : "remote")),
        ]
        if detailed {
            // Configured values by parameter name; the peer is `peer_ipaddr` only.
            let shown: Set<ParameterName> = [.tunnelID, .tunnelName, .destIPAddress, .configID]
            fields += tunnel.arguments.keys.sorted().filter { !shown.contains($0) }.map {
                ($0.rawValue, value(tunnel.arguments[$0]!))
            }
            fields.append(("trace_flags", .uint(tunnel.traceFlags)))
        }
        return record("tunnel", fields)
    }

    static func sessionRecord(_ session: Session) -> ManagementRecord {
        let a = session.arguments
        var fields: [(String, ManagementValue)] = [
            ("session_id", .uint(UInt64(session.id))), ("tunnel_id", .uint(UInt64(session.tunnelID))),
        ]
        if let name = session.name { fields.append(("session_name", .string(name))) }
        fields += [
            ("session_type", .string(a[.sessionType]?.stringValue ?? "laic")), ("state", .string("ESTABLISHED")),
            ("create_time", .uint(createTime)), ("created_by_admin", .bool(true)),
            ("peer_session_id", .uint(UInt64(session.id) + 1000)),
            ("user_name", a[.userName].map(value) ?? .none), ("interface_name", .string("ppp0")),
            ("sequencing_required", .bool(a[.sequencingRequired]?.boolValue ?? false)),
            ("use_sequence_numbers", .bool(a[.useSequenceNumbers]?.boolValue ?? false)),
            ("trace_flags", .uint(session.traceFlags)),
            ("framing_type", .string(a[.framingType]?.stringValue ?? "any")),
            ("bearer_type", .string(a[.bearerType]?.stringValue ?? "any")),
            ("connect_speed", .string(a[.connectSpeed].map(ValueText.text) ?? "1000000")),
            ("use_ppp_proxy", .bool(false)),
            ("rx_packets", .uint(0)), ("rx_bytes", .uint(0)), ("rx_errors", .uint(0)),
            ("tx_packets", .uint(0)), ("tx_bytes", .uint(0)), ("tx_errors", .uint(0)),
        ]
        return record("session", fields)
    }

    // MARK: - config save

    /// As the daemon writes it: the model, then locally created tunnels and
    /// their sessions (sessions name their tunnel by name).
    static func configText(_ state: State) -> String {
        var extra: [ParsedCommand] = []
        for tunnel in state.tunnels.values.sorted(by: { $0.id < $1.id }) where tunnel.createdByAdmin {
            extra.append(ParsedCommand(path: .tunnelCreate, arguments: tunnel.arguments))
            for session in state.sessions where session.tunnelID == tunnel.id {
                var arguments = session.arguments
                if let name = tunnel.name {
                    arguments[.tunnelName] = .string(name)
                } else {
                    arguments[.tunnelID] = .integer(Int(tunnel.id))
                }
                extra.append(ParsedCommand(path: .sessionCreate, arguments: arguments))
            }
        }
        return ConfigSerializer.text(for: state.model, appending: extra)
    }
}

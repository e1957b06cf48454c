import L2TPConfig
import L2TPManagement

/// Which RPC procedure a parsed command calls and with which parameters
/// (docs/l2tp_rpc.x: names of the command grammar, values in their text form).
public struct RPCCallPlan: Hashable, Sendable {
    public var procedure: ManagementProcedure
    public var request: ManagementRequest
}

/// Turns a `ParsedCommand` into the RPC call that performs it. `config save`
/// and `config restore` are partly or wholly client-side and have no plan.
public enum RequestBuilder {
    public static func plan(for command: ParsedCommand, table: CommandTable = .standard) -> RPCCallPlan? {
        guard let procedure = procedure(for: command) else { return nil }
        return RPCCallPlan(procedure: procedure, request: request(for: command, table: table))
    }

    static func procedure(for command: ParsedCommand) -> ManagementProcedure? {
        switch command.path {
        case .systemModify: return .systemModify
        case .systemShow:
            if command.keywords.contains(.version) { return .appInfoGet }
            if command.keywords.contains(.statistics) { return .statisticsGet }
            return .systemGet
        case .tunnelCreate: return .tunnelCreate
        case .tunnelDelete: return .tunnelDelete
        case .tunnelModify: return .tunnelModify
        case .tunnelShow: return .tunnelGet
        case .tunnelList: return .tunnelList
        case .sessionCreate: return .sessionCreate
        case .sessionDelete: return .sessionDelete
        case .sessionModify: return .sessionModify
        case .sessionShow: return .sessionGet
        case .sessionList: return .sessionList
        case .profile(let kind, let action): return profileProcedure(kind, action)
        case .peerShow: return .peerGet
        case .peerList: return .peerList
        case .userList: return .userList
        case .debugModify: return .debugModify
        case .debugShow: return .debugGet
        case .configSave: return .configSave
        case .configRestore: return nil
        }
    }

    static func profileProcedure(_ kind: ProfileKind, _ action: ProfileAction) -> ManagementProcedure {
        let table: [ProfileKind: [ManagementProcedure]] = [
            .tunnel: [
                .tunnelProfileCreate, .tunnelProfileModify, .tunnelProfileDelete, .tunnelProfileGet,
                .tunnelProfileList, .tunnelProfileUnset,
            ],
            .session: [
                .sessionProfileCreate, .sessionProfileModify, .sessionProfileDelete, .sessionProfileGet,
                .sessionProfileList, .sessionProfileUnset,
            ],
            .ppp: [
                .pppProfileCreate, .pppProfileModify, .pppProfileDelete, .pppProfileGet, .pppProfileList,
                .pppProfileUnset,
            ],
            .peer: [
                .peerProfileCreate, .peerProfileModify, .peerProfileDelete, .peerProfileGet, .peerProfileList,
                .peerProfileUnset,
            ],
        ]
        let index = ProfileAction.allCases.firstIndex(of: action)!
        return table[kind]![index]
    }

    /// Arguments in the command table's order, then bare keywords as
    /// `keyword=yes`, then `unset` names with empty values.
    static func request(for command: ParsedCommand, table: CommandTable) -> ManagementRequest {
        let order = table.spec(for: command.path)?.parameters.map(\.name) ?? []
        let names = command.arguments.keys.sorted { lhs, rhs in
            (order.firstIndex(of: lhs) ?? Int.max, lhs.rawValue) < (order.firstIndex(of: rhs) ?? Int.max, rhs.rawValue)
        }
        var parameters: [ManagementParameter] = names.filter { $0 != .file }.map { name in
            ManagementParameter(name: name.rawValue, value: ValueText.text(command.arguments[name] ?? .notSet))
        }
        parameters += BareKeyword.allCases.filter(command.keywords.contains).map {
            ManagementParameter(name: $0.rawValue, value: "yes")
        }
        parameters += command.unsetParameters.map { ManagementParameter(name: $0.rawValue, value: "") }
        return ManagementRequest(parameters: parameters)
    }
}

/// A typed value back in the text form the grammar reads (l2tp_rpc.x: numbers
/// in decimal, booleans yes/no, dotted quads, trace flag names).
public enum ValueText {
    public static func text(_ value: ConfigValue) -> String {
        switch value {
        case .notSet: ""
        case .bool(let flag): flag ? "yes" : "no"
        case .integer(let number), .seconds(let number): String(number)
        case .ipv4(let address): address.description
        case .netmask(let mask): mask.description
        case .choice(let word): word
        case .string(let text): text
        case .traceFlags(let flags): flags.description
        case .connectSpeed(let speed): speed.description
        }
    }
}

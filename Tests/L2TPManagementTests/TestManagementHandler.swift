import L2TPManagement
import ONCRPC

/// A small in-memory daemon for the transport tests: tunnels with ids,
/// sessions listed in bulk, and every other procedure answering with its own
/// name so the routing of each procedure number is observable.
actor InMemoryManagementState {
    private var tunnels: [UInt32: String] = [:]
    private var nextTunnelID: UInt32 = 1
    var sessionListSize = 3
    private(set) var callers: [RPCCaller] = []

    func setSessionListSize(_ size: Int) { sessionListSize = size }

    func perform(_ procedure: ManagementProcedure, _ request: ManagementRequest, caller: RPCCaller) async
        -> ManagementReply
    {
        callers.append(caller)
        switch procedure {
        case .tunnelCreate:
            guard let destination = request["dest_ipaddr"] else {
                return .failure(.missingParameter, "dest_ipaddr: required")
            }
            let id = nextTunnelID
            nextTunnelID += 1
            tunnels[id] = request["tunnel_name"] ?? "tunnel\(id)"
            _ = destination
            return .success([ManagementRecord(kind: "tunnel", fields: [.init("tunnel_id", .uint(UInt64(id)))])])
        case .tunnelGet:
            guard let text = request["tunnel_id"], let id = UInt32(text), let name = tunnels[id] else {
                return .failure(.tunnelNotFound, "tunnel_id: no such tunnel")
            }
            return .success([
                ManagementRecord(
                    kind: "tunnel",
                    fields: [.init("tunnel_id", .uint(UInt64(id))), .init("tunnel_name", .string(name))])
            ])
        case .sessionList:
            let records = (0..<sessionListSize).map { index in
                ManagementRecord(
                    kind: "session",
                    fields: [
                        .init("tunnel_id", .uint(1)), .init("session_id", .uint(UInt64(index + 1))),
                        .init("state", .string("ESTABLISHED")),
                    ])
            }
            return .success(records)
        default:
            return .success([ManagementRecord(kind: "echo", fields: [.init("procedure", .string(procedure.xdrName))])])
        }
    }
}

struct TestManagementHandler: ManagementHandler {
    let state = InMemoryManagementState()

    func appInfoGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.appInfoGet, request, caller: caller)
    }
    func systemGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.systemGet, request, caller: caller)
    }
    func systemModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.systemModify, request, caller: caller)
    }
    func tunnelCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelCreate, request, caller: caller)
    }
    func tunnelDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelDelete, request, caller: caller)
    }
    func tunnelModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelModify, request, caller: caller)
    }
    func tunnelGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelGet, request, caller: caller)
    }
    func tunnelList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelList, request, caller: caller)
    }
    func tunnelUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelUnset, request, caller: caller)
    }
    func sessionCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionCreate, request, caller: caller)
    }
    func sessionDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionDelete, request, caller: caller)
    }
    func sessionModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionModify, request, caller: caller)
    }
    func sessionGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionGet, request, caller: caller)
    }
    func sessionList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionList, request, caller: caller)
    }
    func sessionUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionUnset, request, caller: caller)
    }
    func tunnelProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileCreate, request, caller: caller)
    }
    func tunnelProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileDelete, request, caller: caller)
    }
    func tunnelProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileModify, request, caller: caller)
    }
    func tunnelProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileGet, request, caller: caller)
    }
    func tunnelProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileList, request, caller: caller)
    }
    func tunnelProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.tunnelProfileUnset, request, caller: caller)
    }
    func sessionProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileCreate, request, caller: caller)
    }
    func sessionProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileDelete, request, caller: caller)
    }
    func sessionProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileModify, request, caller: caller)
    }
    func sessionProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileGet, request, caller: caller)
    }
    func sessionProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileList, request, caller: caller)
    }
    func sessionProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.sessionProfileUnset, request, caller: caller)
    }
    func pppProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileCreate, request, caller: caller)
    }
    func pppProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileDelete, request, caller: caller)
    }
    func pppProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileModify, request, caller: caller)
    }
    func pppProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileGet, request, caller: caller)
    }
    func pppProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileList, request, caller: caller)
    }
    func pppProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.pppProfileUnset, request, caller: caller)
    }
    func peerProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileCreate, request, caller: caller)
    }
    func peerProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileDelete, request, caller: caller)
    }
    func peerProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileModify, request, caller: caller)
    }
    func peerProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileGet, request, caller: caller)
    }
    func peerProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileList, request, caller: caller)
    }
    func peerProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerProfileUnset, request, caller: caller)
    }
    func peerGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerGet, request, caller: caller)
    }
    func peerList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.peerList, request, caller: caller)
    }
    func userList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.userList, request, caller: caller)
    }
    func statisticsGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.statisticsGet, request, caller: caller)
    }
    func debugGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.debugGet, request, caller: caller)
    }
    func debugModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.debugModify, request, caller: caller)
    }
    func configSave(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        await state.perform(.configSave, request, caller: caller)
    }
}

import L2TPManagement
import ONCRPC

/// The `ManagementHandler` conformance of `FakeDaemon`: every procedure of
/// docs/l2tp_rpc.x goes to `FakeDaemon.perform`, which records the call.
extension FakeDaemon: ManagementHandler {
    func appInfoGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.appInfoGet, request)
    }
    func systemGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.systemGet, request)
    }
    func systemModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.systemModify, request)
    }
    func tunnelCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelCreate, request)
    }
    func tunnelDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelDelete, request)
    }
    func tunnelModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelModify, request)
    }
    func tunnelGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelGet, request)
    }
    func tunnelList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelList, request)
    }
    func tunnelUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelUnset, request)
    }
    func sessionCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionCreate, request)
    }
    func sessionDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionDelete, request)
    }
    func sessionModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionModify, request)
    }
    func sessionGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionGet, request)
    }
    func sessionList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionList, request)
    }
    func sessionUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionUnset, request)
    }
    func tunnelProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileCreate, request)
    }
    func tunnelProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileDelete, request)
    }
    func tunnelProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileModify, request)
    }
    func tunnelProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileGet, request)
    }
    func tunnelProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileList, request)
    }
    func tunnelProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.tunnelProfileUnset, request)
    }
    func sessionProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileCreate, request)
    }
    func sessionProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileDelete, request)
    }
    func sessionProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileModify, request)
    }
    func sessionProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileGet, request)
    }
    func sessionProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileList, request)
    }
    func sessionProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.sessionProfileUnset, request)
    }
    func pppProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileCreate, request)
    }
    func pppProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileDelete, request)
    }
    func pppProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileModify, request)
    }
    func pppProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileGet, request)
    }
    func pppProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileList, request)
    }
    func pppProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.pppProfileUnset, request)
    }
    func peerProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileCreate, request)
    }
    func peerProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileDelete, request)
    }
    func peerProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileModify, request)
    }
    func peerProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileGet, request)
    }
    func peerProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileList, request)
    }
    func peerProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerProfileUnset, request)
    }
    func peerGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerGet, request)
    }
    func peerList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.peerList, request)
    }
    func userList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.userList, request)
    }
    func statisticsGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.statisticsGet, request)
    }
    func debugGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.debugGet, request)
    }
    func debugModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.debugModify, request)
    }
    func configSave(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply {
        perform(.configSave, request)
    }
}

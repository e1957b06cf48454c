import ONCRPC

/// What the daemon implements to serve program 300773: one method per
/// procedure of `docs/l2tp_rpc.x`. NULL is answered by the transport.
///
/// Each method receives the parameters in the command grammar's names and the
/// authenticated caller, and returns status, message and records. Methods are
/// `async` so the daemon can hop onto the event loop (or actor) that owns its
/// state; calls from one connection arrive one at a time, in order.
public protocol ManagementHandler: Sendable {
    /// Procedure 1: Daemon name, version, build and enabled features (`system show version`).
    func appInfoGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 2: System configuration and status (`system show configuration|status`).
    func systemGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 3: `system modify`: limits, timeouts, trace flags, `reset_statistics`.
    func systemModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 10: `tunnel create` (first record carries the new id or name).
    func tunnelCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 11: `tunnel delete`.
    func tunnelDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 12: `tunnel modify`.
    func tunnelModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 13: `tunnel show` (one record).
    func tunnelGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 14: `tunnel list` (one record per object).
    func tunnelList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 15: `tunnel unset` (reset the named parameters to their defaults).
    func tunnelUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 20: `session create` (first record carries the new id or name).
    func sessionCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 21: `session delete`.
    func sessionDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 22: `session modify`.
    func sessionModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 23: `session show` (one record).
    func sessionGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 24: `session list` (one record per object).
    func sessionList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 25: `session unset` (reset the named parameters to their defaults).
    func sessionUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 30: `tunnel profile create` (first record carries the new id or name).
    func tunnelProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 31: `tunnel profile delete`.
    func tunnelProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 32: `tunnel profile modify`.
    func tunnelProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 33: `tunnel profile show` (one record).
    func tunnelProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 34: `tunnel profile list` (one record per object).
    func tunnelProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 35: `tunnel profile unset` (reset the named parameters to their defaults).
    func tunnelProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 40: `session profile create` (first record carries the new id or name).
    func sessionProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 41: `session profile delete`.
    func sessionProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 42: `session profile modify`.
    func sessionProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 43: `session profile show` (one record).
    func sessionProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 44: `session profile list` (one record per object).
    func sessionProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 45: `session profile unset` (reset the named parameters to their defaults).
    func sessionProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 50: `ppp profile create` (first record carries the new id or name).
    func pppProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 51: `ppp profile delete`.
    func pppProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 52: `ppp profile modify`.
    func pppProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 53: `ppp profile show` (one record).
    func pppProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 54: `ppp profile list` (one record per object).
    func pppProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 55: `ppp profile unset` (reset the named parameters to their defaults).
    func pppProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 60: `peer profile create` (first record carries the new id or name).
    func peerProfileCreate(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 61: `peer profile delete`.
    func peerProfileDelete(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 62: `peer profile modify`.
    func peerProfileModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 63: `peer profile show` (one record).
    func peerProfileGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 64: `peer profile list` (one record per object).
    func peerProfileList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 65: `peer profile unset` (reset the named parameters to their defaults).
    func peerProfileUnset(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 70: `peer show peer_ipaddr= local_ipaddr=`: a peer with its tunnels.
    func peerGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 71: `peer list`.
    func peerList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 80: `user list`: the PPP users of established sessions.
    func userList(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 90: `system show statistics`: totals and the per-message-type table.
    func statisticsGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 100: `debug show`: trace flags of the system, a tunnel or a session.
    func debugGet(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 101: `debug modify`: set trace flags on one target.
    func debugModify(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
    /// Procedure 110: `config save [file=]`: write the running configuration as commands.
    func configSave(_ request: ManagementRequest, caller: RPCCaller) async -> ManagementReply
}

extension ManagementHandler {
    /// Routes a procedure to its method.
    func handle(_ procedure: ManagementProcedure, _ request: ManagementRequest, caller: RPCCaller) async
        -> ManagementReply
    {
        switch procedure {
        case .null: return .success()
        case .appInfoGet: return await appInfoGet(request, caller: caller)
        case .systemGet: return await systemGet(request, caller: caller)
        case .systemModify: return await systemModify(request, caller: caller)
        case .tunnelCreate: return await tunnelCreate(request, caller: caller)
        case .tunnelDelete: return await tunnelDelete(request, caller: caller)
        case .tunnelModify: return await tunnelModify(request, caller: caller)
        case .tunnelGet: return await tunnelGet(request, caller: caller)
        case .tunnelList: return await tunnelList(request, caller: caller)
        case .tunnelUnset: return await tunnelUnset(request, caller: caller)
        case .sessionCreate: return await sessionCreate(request, caller: caller)
        case .sessionDelete: return await sessionDelete(request, caller: caller)
        case .sessionModify: return await sessionModify(request, caller: caller)
        case .sessionGet: return await sessionGet(request, caller: caller)
        case .sessionList: return await sessionList(request, caller: caller)
        case .sessionUnset: return await sessionUnset(request, caller: caller)
        case .tunnelProfileCreate: return await tunnelProfileCreate(request, caller: caller)
        case .tunnelProfileDelete: return await tunnelProfileDelete(request, caller: caller)
        case .tunnelProfileModify: return await tunnelProfileModify(request, caller: caller)
        case .tunnelProfileGet: return await tunnelProfileGet(request, caller: caller)
        case .tunnelProfileList: return await tunnelProfileList(request, caller: caller)
        case .tunnelProfileUnset: return await tunnelProfileUnset(request, caller: caller)
        case .sessionProfileCreate: return await sessionProfileCreate(request, caller: caller)
        case .sessionProfileDelete: return await sessionProfileDelete(request, caller: caller)
        case .sessionProfileModify: return await sessionProfileModify(request, caller: caller)
        case .sessionProfileGet: return await sessionProfileGet(request, caller: caller)
        case .sessionProfileList: return await sessionProfileList(request, caller: caller)
        case .sessionProfileUnset: return await sessionProfileUnset(request, caller: caller)
        case .pppProfileCreate: return await pppProfileCreate(request, caller: caller)
        case .pppProfileDelete: return await pppProfileDelete(request, caller: caller)
        case .pppProfileModify: return await pppProfileModify(request, caller: caller)
        case .pppProfileGet: return await pppProfileGet(request, caller: caller)
        case .pppProfileList: return await pppProfileList(request, caller: caller)
        case .pppProfileUnset: return await pppProfileUnset(request, caller: caller)
        case .peerProfileCreate: return await peerProfileCreate(request, caller: caller)
        case .peerProfileDelete: return await peerProfileDelete(request, caller: caller)
        case .peerProfileModify: return await peerProfileModify(request, caller: caller)
        case .peerProfileGet: return await peerProfileGet(request, caller: caller)
        case .peerProfileList: return await peerProfileList(request, caller: caller)
        case .peerProfileUnset: return await peerProfileUnset(request, caller: caller)
        case .peerGet: return await peerGet(request, caller: caller)
        case .peerList: return await peerList(request, caller: caller)
        case .userList: return await userList(request, caller: caller)
        case .statisticsGet: return await statisticsGet(request, caller: caller)
        case .debugGet: return await debugGet(request, caller: caller)
        case .debugModify: return await debugModify(request, caller: caller)
        case .configSave: return await configSave(request, caller: caller)
        }
    }
}

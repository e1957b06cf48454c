import ONCRPC

/// Serves program 300773 version 1 by decoding `l2tp_request`, calling the
/// daemon's `ManagementHandler` and encoding its `l2tp_reply`.
public struct ManagementService: RPCService {
    public let handler: any ManagementHandler

    public init(handler: any ManagementHandler) {
        self.handler = handler
    }

    public var program: UInt32 { L2TPManagementProtocol.program }
    public var versions: ClosedRange<UInt32> { L2TPManagementProtocol.version...L2TPManagementProtocol.version }

    public func supports(procedure: UInt32, version: UInt32) -> Bool {
        version == L2TPManagementProtocol.version && ManagementProcedure(rawValue: procedure) != nil
    }

    public func handle(_ call: RPCIncomingCall) async -> RPCProcedureOutcome {
        guard let procedure = ManagementProcedure(rawValue: call.procedure) else { return .garbageArguments }
        guard let request = try? ManagementRequest(xdrBytes: call.arguments) else { return .garbageArguments }
        let reply = await handler.handle(procedure, request, caller: call.caller)
        return .success(reply.xdrBytes)
    }
}

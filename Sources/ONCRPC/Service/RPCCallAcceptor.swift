/// Decides what to do with one received record, following RFC 5531 9 in order:
/// message type, RPC version, header, credentials, authorization, program,
/// version, procedure. Sans-IO: the transport feeds records and sends replies.
public struct RPCCallAcceptor: Sendable {
    public typealias Authorization = @Sendable (RPCCaller) -> Bool

    public enum Decision: Sendable {
        /// Send this reply record now (NULL procedure, or an RPC-level error).
        case reply([UInt8])
        /// Run the procedure, then encode its outcome with `replyRecord(for:outcome:)`.
        case dispatch(RPCIncomingCall)
        /// The record is not an RPC call we can answer (no usable xid, or a
        /// REPLY sent to a server): close the connection.
        case close(reason: String)
    }

    public let service: any RPCService
    private let authorize: Authorization

    /// - Parameter authorize: whether a caller may run procedures other than
    ///   NULL. NULL stays open to everyone so `rpcinfo` and health checks work;
    ///   it reveals nothing.
    public init(service: any RPCService, authorize: @escaping Authorization) {
        self.service = service
        self.authorize = authorize
    }

    public func decide(record: [UInt8], caller: RPCCaller) -> Decision {
        var decoder = XDRDecoder(record)
        guard let xid = try? decoder.decodeUInt32(field: "rpc_msg.xid"),
            let messageType = try? decoder.decodeUInt32(field: "rpc_msg.mtype")
        else {
            return .close(reason: "record of \(record.count) bytes is too short for an RPC header")
        }
        guard messageType == 0 else {
            return .close(reason: "expected a CALL, got msg_type \(messageType)")
        }
        // RFC 5531 9: check rpcvers before interpreting the rest, whose layout
        // another version may change.
        guard let rpcVersion = try? decoder.decodeUInt32(field: "call_body.rpcvers") else {
            return .reply(Self.replyRecord(xid: xid, .accepted(.garbageArguments)))
        }
        guard rpcVersion == RPCMessage.rpcVersion else {
            let mismatch = RPCRejectedStatus.rpcMismatch(low: RPCMessage.rpcVersion, high: RPCMessage.rpcVersion)
            return .reply(Self.replyRecord(xid: xid, .denied(mismatch)))
        }
        let call: RPCCall
        do {
            var headerDecoder = XDRDecoder(record, offset: decoder.offset - 4)
            call = try RPCCall(decodingHeaderFrom: &headerDecoder)
        } catch {
            return .reply(Self.replyRecord(xid: xid, .denied(.authError(.badCredential))))
        }
        switch call.credential.flavor {
        case .none:
            break
        case .sys:
            // Must be well formed, but its uid is the caller's claim: never trusted.
            guard (try? RPCAuthSysParameters(xdrBytes: call.credential.body)) != nil else {
                return .reply(Self.replyRecord(xid: xid, .denied(.authError(.badCredential))))
            }
        default:
            return .reply(Self.replyRecord(xid: xid, .denied(.authError(.rejectedCredential))))
        }
        guard call.program == service.program else {
            return .reply(Self.replyRecord(xid: xid, .accepted(.programUnavailable)))
        }
        guard service.versions.contains(call.version) else {
            let status = RPCAcceptedStatus.programMismatch(
                low: service.versions.lowerBound, high: service.versions.upperBound)
            return .reply(Self.replyRecord(xid: xid, .accepted(status)))
        }
        if call.procedure == 0 {
            // RFC 5531 12.1 convention: procedure 0 takes and returns void.
            return .reply(Self.replyRecord(xid: xid, .accepted(.success(results: []))))
        }
        guard authorize(caller) else {
            return .reply(Self.replyRecord(xid: xid, .denied(.authError(.tooWeak))))
        }
        guard service.supports(procedure: call.procedure, version: call.version) else {
            return .reply(Self.replyRecord(xid: xid, .accepted(.procedureUnavailable)))
        }
        return .dispatch(
            RPCIncomingCall(
                xid: xid, version: call.version, procedure: call.procedure, credential: call.credential,
                arguments: call.arguments, caller: caller))
    }

    /// The reply record carrying a procedure's outcome.
    public static func replyRecord(for call: RPCIncomingCall, outcome: RPCProcedureOutcome) -> [UInt8] {
        switch outcome {
        case .success(let results): replyRecord(xid: call.xid, .accepted(.success(results: results)))
        case .garbageArguments: replyRecord(xid: call.xid, .accepted(.garbageArguments))
        case .systemError: replyRecord(xid: call.xid, .accepted(.systemError))
        }
    }

    static func replyRecord(xid: UInt32, _ reply: RPCReply) -> [UInt8] {
        RPCMessage.reply(xid: xid, reply).xdrBytes
    }
}

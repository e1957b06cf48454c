/// RFC 5531 9: `rpc_msg`, a call or a reply matched by transaction id.
///
/// The procedure arguments (of a call) and results (of a successful reply) are
/// kept as raw XDR bytes: they follow the header directly and their type depends
/// on the program, which this layer does not know.
public struct RPCMessage: Hashable, Sendable {
    /// RFC 5531 9: the only RPC protocol version.
    public static let rpcVersion: UInt32 = 2

    public var xid: UInt32
    public var body: Body

    public enum Body: Hashable, Sendable {
        case call(RPCCall)
        case reply(RPCReply)
    }

    public init(xid: UInt32, body: Body) {
        self.xid = xid
        self.body = body
    }

    public static func call(xid: UInt32, _ call: RPCCall) -> RPCMessage { .init(xid: xid, body: .call(call)) }
    public static func reply(xid: UInt32, _ reply: RPCReply) -> RPCMessage { .init(xid: xid, body: .reply(reply)) }
}

/// RFC 5531 9 `call_body`, followed by the procedure's arguments.
public struct RPCCall: Hashable, Sendable {
    public var rpcVersion: UInt32
    public var program: UInt32
    public var version: UInt32
    public var procedure: UInt32
    public var credential: RPCOpaqueAuth
    public var verifier: RPCOpaqueAuth
    /// XDR-encoded procedure arguments.
    public var arguments: [UInt8]

    public init(
        rpcVersion: UInt32 = RPCMessage.rpcVersion, program: UInt32, version: UInt32, procedure: UInt32,
        credential: RPCOpaqueAuth = .none, verifier: RPCOpaqueAuth = .none, arguments: [UInt8] = []
    ) {
        self.rpcVersion = rpcVersion
        self.program = program
        self.version = version
        self.procedure = procedure
        self.credential = credential
        self.verifier = verifier
        self.arguments = arguments
    }
}

/// RFC 5531 9 `reply_body`.
public enum RPCReply: Hashable, Sendable {
    case accepted(verifier: RPCOpaqueAuth, status: RPCAcceptedStatus)
    case denied(RPCRejectedStatus)

    /// An accepted reply with the AUTH_NONE verifier (all this server sends).
    public static func accepted(_ status: RPCAcceptedStatus) -> RPCReply {
        .accepted(verifier: .none, status: status)
    }
}

// MARK: - XDR

extension RPCMessage: XDREncodable {
    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(xid)
        switch body {
        case .call(let call):
            encoder.encode(UInt32(0))  // CALL
            encoder.encode(call.rpcVersion)
            encoder.encode(call.program)
            encoder.encode(call.version)
            encoder.encode(call.procedure)
            call.credential.encode(to: &encoder)
            call.verifier.encode(to: &encoder)
            encoder.appendEncoded(call.arguments)
        case .reply(let reply):
            encoder.encode(UInt32(1))  // REPLY
            switch reply {
            case .accepted(let verifier, let status):
                encoder.encode(UInt32(0))  // MSG_ACCEPTED
                verifier.encode(to: &encoder)
                encoder.encode(status.rawValue)
                switch status {
                case .success(let results): encoder.appendEncoded(results)
                case .programMismatch(let low, let high):
                    encoder.encode(low)
                    encoder.encode(high)
                default: break
                }
            case .denied(let rejection):
                encoder.encode(UInt32(1))  // MSG_DENIED
                switch rejection {
                case .rpcMismatch(let low, let high):
                    encoder.encode(UInt32(0))
                    encoder.encode(low)
                    encoder.encode(high)
                case .authError(let status):
                    encoder.encode(UInt32(1))
                    encoder.encode(status.rawValue)
                }
            }
        }
    }
}

extension RPCMessage {
    /// Decodes a whole record. Everything after the header is the call's
    /// arguments or the successful reply's results.
    public init(record: [UInt8]) throws {
        var decoder = XDRDecoder(record)
        xid = try decoder.decodeUInt32(field: "rpc_msg.xid")
        let typeOffset = decoder.offset
        switch try decoder.decodeUInt32(field: "rpc_msg.mtype") {
        case 0:
            body = .call(try RPCCall(decodingHeaderFrom: &decoder))
        case 1:
            body = .reply(try RPCReply(from: &decoder))
        case let other:
            throw ONCRPCError.unsupportedMessageType(other, offset: typeOffset)
        }
    }
}

extension RPCCall {
    /// Decodes `call_body`; the remaining bytes become `arguments`.
    init(decodingHeaderFrom decoder: inout XDRDecoder) throws {
        rpcVersion = try decoder.decodeUInt32(field: "call_body.rpcvers")
        program = try decoder.decodeUInt32(field: "call_body.prog")
        version = try decoder.decodeUInt32(field: "call_body.vers")
        procedure = try decoder.decodeUInt32(field: "call_body.proc")
        credential = try RPCOpaqueAuth(from: &decoder)
        verifier = try RPCOpaqueAuth(from: &decoder)
        arguments = decoder.remainingBytes
    }
}

extension RPCReply {
    /// Decodes `reply_body`; for SUCCESS the remaining bytes become the results.
    init(from decoder: inout XDRDecoder) throws {
        let statOffset = decoder.offset
        switch try decoder.decodeUInt32(field: "reply_body.stat") {
        case 0:
            let verifier = try RPCOpaqueAuth(from: &decoder)
            let acceptOffset = decoder.offset
            let status: RPCAcceptedStatus
            switch try decoder.decodeUInt32(field: "accepted_reply.stat") {
            case 0: status = .success(results: decoder.remainingBytes)
            case 1: status = .programUnavailable
            case 2:
                status = .programMismatch(
                    low: try decoder.decodeUInt32(field: "mismatch_info.low"),
                    high: try decoder.decodeUInt32(field: "mismatch_info.high"))
            case 3: status = .procedureUnavailable
            case 4: status = .garbageArguments
            case 5: status = .systemError
            case let other:
                throw ONCRPCError.invalidDiscriminant(
                    field: "accepted_reply.stat", offset: acceptOffset, value: Int64(other))
            }
            self = .accepted(verifier: verifier, status: status)
        case 1:
            let rejectOffset = decoder.offset
            switch try decoder.decodeUInt32(field: "rejected_reply.stat") {
            case 0:
                self = .denied(
                    .rpcMismatch(
                        low: try decoder.decodeUInt32(field: "mismatch_info.low"),
                        high: try decoder.decodeUInt32(field: "mismatch_info.high")))
            case 1:
                self = .denied(.authError(RPCAuthStatus(rawValue: try decoder.decodeUInt32(field: "auth_stat"))))
            case let other:
                throw ONCRPCError.invalidDiscriminant(
                    field: "rejected_reply.stat", offset: rejectOffset, value: Int64(other))
            }
        case let other:
            throw ONCRPCError.invalidDiscriminant(field: "reply_body.stat", offset: statOffset, value: Int64(other))
        }
    }
}

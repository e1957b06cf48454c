import Testing

@testable import ONCRPC

private func words(_ values: UInt32...) -> [UInt8] {
    values.flatMap { $0.xdrBytes }
}

@Suite struct RPCMessageTests {
    @Test func callEncodesTheRFC5531HeaderThenArguments() throws {
        let call = RPCCall(program: 100000, version: 2, procedure: 3, arguments: words(300773, 1, 6, 0))
        let bytes = RPCMessage.call(xid: 0x1234_5678, call).xdrBytes
        let expected =
            words(0x1234_5678, 0, 2, 100000, 2, 3, 0, 0, 0, 0) + words(300773, 1, 6, 0)
        #expect(bytes == expected)
        #expect(try RPCMessage(record: bytes) == .call(xid: 0x1234_5678, call))
    }

    @Test func authSysCredentialRoundTrips() throws {
        let parameters = RPCAuthSysParameters(stamp: 7, machineName: "lns1", uid: 0, gid: 0, gids: [4, 27])
        let body = parameters.xdrBytes
        #expect(body == words(7, 4) + Array("lns1".utf8) + words(0, 0, 2, 4, 27))
        let call = RPCCall(
            program: 300773, version: 1, procedure: 10, credential: RPCOpaqueAuth(flavor: .sys, body: body))
        let decoded = try RPCMessage(record: RPCMessage.call(xid: 1, call).xdrBytes)
        guard case .call(let decodedCall) = decoded.body else {
            Issue.record("not a call")
            return
        }
        #expect(try RPCAuthSysParameters(xdrBytes: decodedCall.credential.body) == parameters)
    }

    @Test(arguments: [
        (RPCReply.accepted(.success(results: words(42))), words(9, 1, 0, 0, 0, 0, 42)),
        (RPCReply.accepted(.programUnavailable), words(9, 1, 0, 0, 0, 1)),
        (RPCReply.accepted(.programMismatch(low: 1, high: 3)), words(9, 1, 0, 0, 0, 2, 1, 3)),
        (RPCReply.accepted(.procedureUnavailable), words(9, 1, 0, 0, 0, 3)),
        (RPCReply.accepted(.garbageArguments), words(9, 1, 0, 0, 0, 4)),
        (RPCReply.accepted(.systemError), words(9, 1, 0, 0, 0, 5)),
        (RPCReply.denied(.rpcMismatch(low: 2, high: 2)), words(9, 1, 1, 0, 2, 2)),
        (RPCReply.denied(.authError(.tooWeak)), words(9, 1, 1, 1, 5)),
    ])
    func repliesMatchVectorsBothWays(reply: RPCReply, bytes: [UInt8]) throws {
        #expect(RPCMessage.reply(xid: 9, reply).xdrBytes == bytes)
        #expect(try RPCMessage(record: bytes) == .reply(xid: 9, reply))
    }

    @Test func unknownMessageTypeAndStatusesAreErrors() {
        #expect(throws: ONCRPCError.unsupportedMessageType(0, offset: 0)) {
            try RPCMessage(record: words(1, 2))
        }
        #expect(throws: ONCRPCError.invalidDiscriminant(field: "", offset: 0, value: 0)) {
            try RPCMessage(record: words(1, 1, 0, 0, 0, 6))
        }
        #expect(throws: ONCRPCError.invalidDiscriminant(field: "", offset: 0, value: 0)) {
            try RPCMessage(record: words(1, 1, 2))
        }
    }

    @Test func oversizeAuthBodyIsRejected() {
        let bytes = words(1, 0, 2, 1, 1, 1, 1, 401) + [UInt8](repeating: 0, count: 404) + words(0, 0)
        #expect(throws: ONCRPCError.lengthExceedsLimit(field: "", offset: 0, length: 0, limit: 0)) {
            try RPCMessage(record: bytes)
        }
    }
}

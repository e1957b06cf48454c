import Testing

@testable import ONCRPC

private struct EchoService: RPCService {
    var program: UInt32 { 400000 }
    var versions: ClosedRange<UInt32> { 1...2 }
    func supports(procedure: UInt32, version: UInt32) -> Bool { procedure == 1 }
    func handle(_ call: RPCIncomingCall) async -> RPCProcedureOutcome { .success(call.arguments) }
}

private let localRoot = RPCCaller(
    transport: .unixSocket, credentials: .init(pid: 1, uid: 0, gid: 0), address: "/test.sock")
private let localUser = RPCCaller(
    transport: .unixSocket, credentials: .init(pid: 2, uid: 1000, gid: 1000), address: "/test.sock")

private func words(_ values: UInt32...) -> [UInt8] { values.flatMap { $0.xdrBytes } }

@Suite struct RPCCallAcceptorTests {
    let acceptor = RPCCallAcceptor(service: EchoService()) { $0.credentials?.uid == 0 }

    private func reply(to call: RPCCall, caller: RPCCaller = localRoot) throws -> RPCReply? {
        guard case .reply(let bytes) = acceptor.decide(record: RPCMessage.call(xid: 5, call).xdrBytes, caller: caller)
        else { return nil }
        let message = try RPCMessage(record: bytes)
        #expect(message.xid == 5)
        guard case .reply(let reply) = message.body else { return nil }
        return reply
    }

    @Test func nullProcedureAnswersEveryone() throws {
        let call = RPCCall(program: 400000, version: 1, procedure: 0)
        #expect(try reply(to: call, caller: localUser) == .accepted(.success(results: [])))
    }

    @Test func wrongRPCVersionGetsRPCMismatch() throws {
        let call = RPCCall(rpcVersion: 3, program: 400000, version: 1, procedure: 1)
        #expect(try reply(to: call) == .denied(.rpcMismatch(low: 2, high: 2)))
    }

    @Test func wrongProgramVersionAndProcedure() throws {
        #expect(try reply(to: RPCCall(program: 1, version: 1, procedure: 1)) == .accepted(.programUnavailable))
        #expect(
            try reply(to: RPCCall(program: 400000, version: 7, procedure: 1))
                == .accepted(.programMismatch(low: 1, high: 2)))
        #expect(
            try reply(to: RPCCall(program: 400000, version: 1, procedure: 9)) == .accepted(.procedureUnavailable))
    }

    @Test func unauthorizedCallerGetsAuthError() throws {
        let call = RPCCall(program: 400000, version: 1, procedure: 1)
        #expect(try reply(to: call, caller: localUser) == .denied(.authError(.tooWeak)))
    }

    @Test func unsupportedOrMalformedCredentialsAreRefused() throws {
        let dh = RPCCall(program: 400000, version: 1, procedure: 1, credential: .init(flavor: .dh, body: [0, 0, 0, 0]))
        #expect(try reply(to: dh) == .denied(.authError(.rejectedCredential)))
        let badSys = RPCCall(program: 400000, version: 1, procedure: 1, credential: .init(flavor: .sys, body: [1]))
        #expect(try reply(to: badSys) == .denied(.authError(.badCredential)))
    }

    @Test func goodCallIsDispatchedWithItsArguments() throws {
        let record = RPCMessage.call(xid: 77, RPCCall(program: 400000, version: 2, procedure: 1, arguments: words(3)))
            .xdrBytes
        guard case .dispatch(let call) = acceptor.decide(record: record, caller: localRoot) else {
            Issue.record("not dispatched")
            return
        }
        #expect(call.xid == 77 && call.version == 2 && call.procedure == 1 && call.arguments == words(3))
        let replyBytes = RPCCallAcceptor.replyRecord(for: call, outcome: .garbageArguments)
        #expect(try RPCMessage(record: replyBytes) == .reply(xid: 77, .accepted(.garbageArguments)))
    }

    @Test func garbageRecordsCloseOrGetGarbageArgs() throws {
        guard case .close = acceptor.decide(record: [1, 2, 3], caller: localRoot) else {
            Issue.record("short record should close")
            return
        }
        guard case .close = acceptor.decide(record: words(1, 1, 0, 0, 0, 0), caller: localRoot) else {
            Issue.record("a REPLY sent to the server should close")
            return
        }
        guard case .reply(let bytes) = acceptor.decide(record: words(4, 0), caller: localRoot) else {
            Issue.record("header without rpcvers should be answered")
            return
        }
        #expect(try RPCMessage(record: bytes) == .reply(xid: 4, .accepted(.garbageArguments)))
    }
}

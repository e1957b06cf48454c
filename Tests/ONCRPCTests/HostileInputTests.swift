import Testing

@testable import ONCRPC

/// A small deterministic generator (SplitMix64) so failures replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

private struct RefusingService: RPCService {
    var program: UInt32 { 300773 }
    var versions: ClosedRange<UInt32> { 1...1 }
    func supports(procedure: UInt32, version: UInt32) -> Bool { procedure < 120 }
    func handle(_ call: RPCIncomingCall) async -> RPCProcedureOutcome { .systemError }
}

/// Random and mutated input must produce errors or answers, never a trap.
@Suite struct HostileInputTests {
    @Test func randomRecordsNeverTrapTheAcceptor() throws {
        var random = SplitMix64(state: 0x5eed)
        let acceptor = RPCCallAcceptor(service: RefusingService()) { _ in true }
        let caller = RPCCaller(transport: .tcp, credentials: nil, address: "fuzz")
        let valid = RPCMessage.call(
            xid: 1,
            RPCCall(
                program: 300773, version: 1, procedure: 10,
                credential: RPCOpaqueAuth(
                    flavor: .sys, body: RPCAuthSysParameters(stamp: 1, machineName: "h", uid: 0, gid: 0).xdrBytes),
                arguments: [0, 0, 0, 1, 0, 0, 0, 1, 0x61, 0, 0, 0])
        ).xdrBytes
        var replies = 0
        for round in 0..<3000 {
            var record: [UInt8]
            if round % 2 == 0 {
                record = (0..<Int.random(in: 0..<96, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            } else {
                record = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    record[Int.random(in: 0..<record.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                if Bool.random(using: &random) { record.removeLast(Int.random(in: 0..<record.count, using: &random)) }
            }
            switch acceptor.decide(record: record, caller: caller) {
            case .reply(let bytes):
                // Every reply we produce must itself decode.
                _ = try RPCMessage(record: bytes)
                replies += 1
            case .dispatch, .close:
                break
            }
        }
        #expect(replies > 100)
    }

    @Test func randomStreamsNeverTrapTheRecordDecoder() {
        var random = SplitMix64(state: 42)
        for _ in 0..<500 {
            var decoder = RecordMarkingDecoder(maxRecordSize: 4096)
            for _ in 0..<8 {
                decoder.feed(
                    (0..<Int.random(in: 0..<64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
                while (try? decoder.nextRecord()) != nil {}
            }
        }
    }

    @Test func randomBytesNeverTrapMessageDecoding() {
        var random = SplitMix64(state: 7)
        var decoded = 0
        for _ in 0..<3000 {
            // Words of small values, so lengths and discriminants are often
            // plausible and decoding gets deep before it fails.
            let words = (0..<Int.random(in: 0..<16, using: &random)).map { _ in UInt32.random(in: 0...3, using: &random)
            }
            var bytes = words.flatMap { $0.xdrBytes }
            if bytes.count > 8 { bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 0x80 }
            if (try? RPCMessage(record: bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }
}

import PPPEvents
import Testing

/// Random and mutated datagrams: the decoder must answer every one with an
/// event or a PPPEventError, never crash or hang.
@Suite struct PPPEventFuzzTests {
    /// SplitMix64: reproducible without depending on the platform's RNG.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static let seeds: [PPPEvent] = [
        .null,
        .upDown(PPPLinkState(tunnelID: 1, sessionID: 2, isUp: true, unit: 3, interfaceName: "ppp3", userName: "bob")),
        .accm(PPPACCMIndication(tunnelID: 5, sessionID: 6, sendACCM: 0, receiveACCM: 0xffff_ffff)),
    ]

    @Test func randomBytesNeverCrash() {
        var random = SeededGenerator(state: 0x5eed)
        var decoded = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...600, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Half of them with a valid header, so the TLV walk is reached.
            if Bool.random(using: &random), bytes.count >= 8 {
                bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: PPPEventWire.signature) { Array($0) })
                let length = UInt16(bytes.count - 8)
                bytes.replaceSubrange(6..<8, with: withUnsafeBytes(of: length) { Array($0) })
                bytes[4] = UInt8.random(in: 0...2, using: &random)
                bytes[5] = 0
            }
            if (try? PPPEventDecoder.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded < 20_000)
    }

    @Test func mutatedValidMessagesDecodeOrThrowTyped() throws {
        var random = SeededGenerator(state: 42)
        var outcomes = (decoded: 0, rejected: 0)
        for _ in 0..<5_000 {
            var bytes = try PPPEventEncoder.encode(Self.seeds.randomElement(using: &random)!)
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let index = Int.random(in: 0..<bytes.count, using: &random)
                bytes[index] ^= UInt8.random(in: 1...255, using: &random)
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            case 2:
                bytes += (0..<Int.random(in: 1...8, using: &random)).map { _ in
                    UInt8.random(in: 0...255, using: &random)
                }
            default:
                let index = Int.random(in: 8...max(8, bytes.count - 1), using: &random)
                if index < bytes.count { bytes[index] = UInt8.random(in: 0...255, using: &random) }
            }
            do {
                _ = try PPPEventDecoder.decode(bytes)
                outcomes.decoded += 1
            } catch {
                outcomes.rejected += 1  // typed: `error` is a PPPEventError
                #expect(!error.description.isEmpty)
            }
        }
        #expect(outcomes.decoded > 0 && outcomes.rejected > 0)
    }
}

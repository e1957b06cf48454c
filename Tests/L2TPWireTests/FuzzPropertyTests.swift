import NIOCore
import Testing

@testable import L2TPWire

/// Property tests: random and mutated input never crashes the decoder, only
/// produces typed errors with in-range offsets, and whatever decodes
/// round-trips (`fuzzCheck`, the same check the libFuzzer harness uses).
@Suite struct FuzzPropertyTests {
    /// Valid encodings to mutate: every oracle message, plus hidden AVPs under the fuzz secret.
    static let seeds: [[UInt8]] = {
        var seeds: [[UInt8]] = []
        for message in OracleMessages.control + MessageType.allCases.map(minimalMessage) {
            seeds.append(
                bytes(try! message.encoded(secret: OracleMessages.secret, randomVector: OracleMessages.randomVector)))
        }
        let hideable = sampleAVPs.filter { $0.type?.rule.mayBeHidden ?? true }
        let hidden = ControlMessage(
            tunnelID: 5, sessionID: 6,
            avps: [AVPEntry(.messageType(.iccn))] + hideable.map { AVPEntry($0, hidden: true) })
        seeds.append(bytes(try! hidden.encoded(secret: fuzzSecret, randomVector: Array(1...16), hiddenPadding: 5)))
        for message in OracleMessages.data {
            var out = ByteBuffer()
            try! message.encode(into: &out)
            seeds.append(bytes(out))
        }
        return seeds
    }()

    @Test func seedsThemselvesRoundTrip() {
        for (index, seed) in Self.seeds.enumerated() {
            #expect(fuzzCheck(buffer(seed)) == nil, "seed \(index)")
            let decodes = [fuzzSecret, OracleMessages.secret].contains {
                (try? L2TPPacket.decode(buffer(seed), secret: $0)) != nil
            }
            #expect(decodes, "seed \(index) does not decode")
        }
    }

    @Test func randomBytes() {
        var rng = SplitMix64(seed: 0x4C32_5450)
        for _ in 0..<4000 {
            let count = Int.random(in: 0...80, using: &rng)
            var input = rng.bytes(count)
            // Half the cases get a plausible control header so AVP parsing is reached.
            if count >= 12, Bool.random(using: &rng) {
                input[0] = 0xC8
                input[1] = 0x02
                input[2] = 0
                input[3] = UInt8(count)
            }
            #expect(fuzzCheck(buffer(input)) == nil, "input \(hexString(input))")
        }
    }

    @Test func mutatedValidMessages() {
        var rng = SplitMix64(seed: 2661)
        var decodedCount = 0
        for iteration in 0..<6000 {
            var input = Self.seeds[iteration % Self.seeds.count]
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:  // bit flips
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    input[Int.random(in: 0..<input.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                }
            case 1:  // truncation
                input.removeLast(Int.random(in: 1...input.count, using: &rng))
            case 2:  // header length field corruption
                if input.count > 4 {
                    input[2] = UInt8.random(in: 0...255, using: &rng)
                    input[3] = UInt8.random(in: 0...255, using: &rng)
                }
            case 3:  // AVP length field corruption (AVPs start at 12 in control messages)
                var index = 12
                var positions: [Int] = []
                while index + 1 < input.count {
                    positions.append(index)
                    let length = Int(input[index] & 0x03) << 8 | Int(input[index + 1])
                    if length < 6 { break }
                    index += length
                }
                if let position = positions.randomElement(using: &rng) {
                    input[position] = (input[position] & 0xFC) | UInt8.random(in: 0...3, using: &rng)
                    input[position + 1] = UInt8.random(in: 0...255, using: &rng)
                }
            case 4:  // insert or delete a byte
                let at = Int.random(in: 0..<input.count, using: &rng)
                if Bool.random(using: &rng) {
                    input.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                } else {
                    input.remove(at: at)
                }
            default:  // M/H/reserved flag changes on a random byte pair
                let at = Int.random(in: 0..<input.count, using: &rng)
                input[at] ^= [0x80, 0x40, 0x3C, 0x04][Int.random(in: 0..<4, using: &rng)]
            }
            if (try? L2TPPacket.decode(buffer(input), secret: fuzzSecret)) != nil { decodedCount += 1 }
            #expect(fuzzCheck(buffer(input)) == nil, "iteration \(iteration): \(hexString(input))")
        }
        // The mutations must leave a fair share decodable, or the round-trip property is not exercised.
        #expect(decodedCount > 600, "only \(decodedCount) mutants decoded")
    }

    @Test func harnessEntryPointAcceptsGarbage() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let input = rng.bytes(Int.random(in: 0...40, using: &rng))
            input.withUnsafeBytes { fuzzDecode($0) }
        }
    }
}

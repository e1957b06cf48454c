/// Where the control core gets randomness: tunnel and session ids, challenges,
/// random vectors for hidden AVPs and tie breakers (RFC 2661 9.1 asks for
/// unpredictable ids).
///
/// The endpoint takes any `RandomNumberGenerator`; the daemon passes
/// `SystemRandomNumberGenerator`, tests pass a seeded generator so that every
/// run is reproducible.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    /// SplitMix64: small, fast, and good enough for test determinism. Not for
    /// production secrets: the daemon uses the system generator.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// `count` random octets.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            var word = next()
            for _ in 0..<8 where result.count < count {
                result.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return result
    }
}

/// MD5 (RFC 1321), needed by L2TP for hidden AVPs (RFC 2661 4.3) and the
/// tunnel authentication challenge (RFC 2661 5.1.1). Written here so the
/// codec has no crypto dependency. MD5 is used only as RFC 2661 mandates,
/// not as a general-purpose hash.
public struct MD5: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var blockCount = 0
    private var totalLength: UInt64 = 0

    public init() {}

    /// A 16-octet digest.
    public typealias Digest = [UInt8]

    /// One-shot digest of a byte sequence.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> Digest where Bytes.Element == UInt8 {
        var md5 = MD5()
        md5.update(bytes)
        return md5.finalize()
    }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(raw: UnsafeRawBufferPointer($0)) }
        if handled == nil { for byte in bytes { append(byte) } }
    }

    /// Bulk path: whole 64-octet blocks are copied and compressed directly.
    public mutating func update(raw bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            if blockCount == 0, bytes.count - index >= 64 {
                withUnsafeMutableBytes(of: &block) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + 64)]))
                }
                totalLength &+= 64
                compress()
                index += 64
            } else {
                append(bytes[index])
                index += 1
            }
        }
    }

    public mutating func update(_ byte: UInt8) { append(byte) }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        withUnsafeMutableBytes(of: &block) { $0[blockCount] = byte }
        blockCount += 1
        totalLength &+= 1
        if blockCount == 64 {
            compress()
            blockCount = 0
        }
    }

    /// Pads, processes the final block(s) and returns the digest.
    public consuming func finalize() -> Digest {
        let bitLength = totalLength &* 8
        append(0x80)
        while blockCount != 56 { append(0) }
        for i in 0..<8 { append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        var digest = [UInt8](repeating: 0, count: 16)
        let words = [state.0, state.1, state.2, state.3]
        for (i, word) in words.enumerated() {
            for j in 0..<4 { digest[4 * i + j] = UInt8(truncatingIfNeeded: word >> (8 * UInt32(j))) }
        }
        return digest
    }

    // MARK: - Compression function (RFC 1321 3.4)

    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// T[i] = floor(2^32 * abs(sin(i + 1))) (RFC 1321 3.4).
    private static let table: [UInt32] = [
        0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
        0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
        0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
        0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
        0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
        0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
        0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
        0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
    ]

    private mutating func compress() {
        let (a0, b0, c0, d0) = state
        let result = Self.table.withUnsafeBufferPointer { table in
            Self.shifts.withUnsafeBufferPointer { shifts in
                withUnsafeBytes(of: &block) { raw in Self.rounds(raw, table, shifts, (a0, b0, c0, d0)) }
            }
        }
        state = (a0 &+ result.0, b0 &+ result.1, c0 &+ result.2, d0 &+ result.3)
    }

    @inline(__always)
    private static func rounds(
        _ raw: UnsafeRawBufferPointer, _ table: UnsafeBufferPointer<UInt32>, _ shifts: UnsafeBufferPointer<UInt32>,
        _ initial: (UInt32, UInt32, UInt32, UInt32)
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        @inline(__always) func word(_ g: Int) -> UInt32 {
            UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 &* g, as: UInt32.self))
        }
        var (a, b, c, d) = initial
        for i in 0..<64 {
            var f: UInt32
            let g: Int
            switch i {
            case 0..<16:
                f = (b & c) | (~b & d)
                g = i
            case 16..<32:
                f = (d & b) | (~d & c)
                g = (5 &* i &+ 1) & 15
            case 32..<48:
                f = b ^ c ^ d
                g = (3 &* i &+ 5) & 15
            default:
                f = c ^ (b | ~d)
                g = (7 &* i) & 15
            }
            f = f &+ a &+ table[i] &+ word(g)
            a = d
            d = c
            c = b
            let s = shifts[i]
            b = b &+ ((f << s) | (f >> (32 &- s)))
        }
        return (a, b, c, d)
    }
}

/// An IPv4 address as the 32-bit number a.b.c.d = a<<24 | b<<16 | c<<8 | d
/// (host order, as the plugin ABI's `reply_set_ipv4` and the RPC `ipv4` value).
public struct IPv4: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Strict dotted quad: four decimal octets 0...255, no leading `+`, no extra text.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt32(part), octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: IPv4, rhs: IPv4) -> Bool { lhs.value < rhs.value }
}

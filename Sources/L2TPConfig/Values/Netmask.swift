/// A contiguous IPv4 netmask, kept as its prefix length so "longest mask"
/// comparisons in peer profile selection are plain integer comparisons.
public struct Netmask: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let prefixLength: Int

    public init?(prefixLength: Int) {
        guard (0...32).contains(prefixLength) else { return nil }
        self.prefixLength = prefixLength
    }

    /// Accepts `255.255.255.0`, `/24` or `24`. Non-contiguous masks are refused.
    public init?(text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("/") { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) {
            self.init(prefixLength: n)
            return
        }
        guard let address = IPv4Address(dotted: text) else { return nil }
        let ones = address.value.leadingNonzeroBitCount
        guard address.value == Netmask.bits(ones) else { return nil }
        self.init(prefixLength: ones)
    }

    public static let host = Netmask(prefixLength: 32)!

    public var mask: UInt32 { Netmask.bits(prefixLength) }

    public func contains(_ address: IPv4Address, network: IPv4Address) -> Bool {
        address.value & mask == network.value & mask
    }

    public var description: String { IPv4Address(mask).description }

    public static func < (lhs: Netmask, rhs: Netmask) -> Bool { lhs.prefixLength < rhs.prefixLength }

    private static func bits(_ n: Int) -> UInt32 {
        n == 0 ? 0 : UInt32.max << UInt32(32 - n)
    }
}

extension UInt32 {
    fileprivate var leadingNonzeroBitCount: Int { (~self).leadingZeroBitCount }
}

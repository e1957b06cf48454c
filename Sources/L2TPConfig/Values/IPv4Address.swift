/// An IPv4 address in host byte order. Kept here (not from NIO) because this
/// module has no dependencies.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) {
        self.value = value
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Strict dotted quad: four decimal parts 0...255, no blanks, no shorthand.
    public init?(dotted text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let octet = UInt32(part), octet <= 255 else { return nil }
            result = result << 8 | octet
        }
        value = result
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

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

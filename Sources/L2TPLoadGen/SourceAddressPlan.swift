/// The source addresses a flood comes from: `count` consecutive IPv4
/// addresses inside a prefix, skipping the prefix's first and last address
/// (network and broadcast on a real subnet). On loopback any 127/8 address
/// can be bound; in a network namespace a `local` route for the prefix
/// (`ip route add local 10.98.0.0/16 dev lo`) makes the whole prefix
/// bindable without adding each address.
public struct SourceAddressPlan: Hashable, Sendable {
    /// The prefix's first address, host order.
    public let network: UInt32
    public let prefixLength: Int
    public let count: Int

    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter prefix: `A.B.C.D/N`, 8 <= N <= 30.
    public init(prefix: String, count: Int) throws(Invalid) {
        let parts = prefix.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4.parse(String(parts[0])), let length = Int(parts[1]),
            (8...30).contains(length)
        else { throw Invalid(description: "'\(prefix)' is not an IPv4 prefix A.B.C.D/N with N from 8 to 30") }
        let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
        let usable = (1 << (32 - length)) - 2
        guard count >= 1, count <= usable else {
            throw Invalid(description: "\(count) sources do not fit in \(prefix) (1 to \(usable))")
        }
        self.network = address & mask
        self.prefixLength = length
        self.count = count
    }

    /// The `index`-th source (wrapping around `count`), host order.
    public func address(_ index: Int) -> UInt32 {
        network + 1 + UInt32(index % count)
    }

    public func dottedAddress(_ index: Int) -> String { IPv4.format(address(index)) }
}

/// Dotted-quad IPv4 text, host byte order values.
public enum IPv4 {
    public static func parse(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, octet.allSatisfy(\.isASCII), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
    }
}

/// A peer's UDP endpoint: IPv4 or IPv6 address bytes plus port.
///
/// Deliberately not a socket type: the core stays free of Foundation and NIO
/// socket APIs; the I/O layer converts.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 octets for IPv4, 16 for IPv6, network order.
    public var address: [UInt8]
    public var port: UInt16

    public init(address: [UInt8], port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16 = 1701) -> PeerAddress {
        PeerAddress(address: [a, b, c, d], port: port)
    }

    /// Same host, whatever the port (tie breaking is per LAC-LNS pair, RFC 2661 4.4.3).
    public func isSameHost(as other: PeerAddress) -> Bool { address == other.address }

    public var description: String {
        if address.count == 4 {
            return address.map(String.init).joined(separator: ".") + ":\(port)"
        }
        var groups: [String] = []
        var i = 0
        while i + 1 < address.count {
            groups.append(String(UInt16(address[i]) << 8 | UInt16(address[i + 1]), radix: 16))
            i += 2
        }
        return "[" + groups.joined(separator: ":") + "]:\(port)"
    }
}

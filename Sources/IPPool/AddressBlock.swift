/// A contiguous run of addresses added to a pool: `first_addr` + `num_addrs`,
/// or the usable hosts of `first_addr/netmask`.
public struct AddressBlock: Hashable, Sendable, CustomStringConvertible {
    public let first: IPv4
    public let count: UInt32

    /// The largest block accepted: a /16 worth (65,536 addresses). Pools hold
    /// per-address state, so an accidental `/8` must not eat the daemon's memory.
    public static let maxCount: UInt32 = 65_536

    public init(first: IPv4, count: UInt32) throws(IPPoolError) {
        guard count >= 1 else { throw .invalidParameter("num_addrs", "must be at least 1") }
        guard count <= Self.maxCount else {
            throw .invalidParameter("num_addrs", "\(count) is more than \(Self.maxCount) addresses in one block")
        }
        guard UInt64(first.value) + UInt64(count) - 1 <= UInt64(UInt32.max) else {
            throw .invalidParameter("num_addrs", "\(count) addresses from \(first) run past 255.255.255.255")
        }
        self.first = first
        self.count = count
    }

    /// The hosts of the network containing `address` under a prefix of
    /// `prefixLength` bits; the network and broadcast addresses are left out
    /// for prefixes up to /30 (RFC 3021: a /31 has two usable hosts).
    public init(network address: IPv4, prefixLength: Int) throws(IPPoolError) {
        guard (16...32).contains(prefixLength) else {
            throw .invalidParameter("netmask", "/\(prefixLength) is outside /16.../32")
        }
        let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << (32 - prefixLength)
        let network = address.value & mask
        let size = UInt64(1) << (32 - prefixLength)
        if prefixLength >= 31 {
            try self.init(first: IPv4(network), count: UInt32(size))
        } else {
            try self.init(first: IPv4(network + 1), count: UInt32(size - 2))
        }
    }

    public var last: IPv4 { IPv4(first.value + (count - 1)) }

    public func contains(_ address: IPv4) -> Bool {
        address.value >= first.value && address.value <= last.value
    }

    public func overlaps(_ other: AddressBlock) -> Bool {
        first.value <= other.last.value && other.first.value <= last.value
    }

    public var description: String { count == 1 ? "\(first)" : "\(first)-\(last)" }
}

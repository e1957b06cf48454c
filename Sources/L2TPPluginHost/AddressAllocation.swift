/// An IPv4 address as the plugin ABI carries it (host byte order).
public struct PluginIPv4Address: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Dotted quad, as pppd's `local:remote` option wants it.
    public var description: String {
        "\(rawValue >> 24).\(rawValue >> 16 & 0xff).\(rawValue >> 8 & 0xff).\(rawValue & 0xff)"
    }
}

/// Addresses a plugin allocated for a session's PPP link.
public struct AddressAllocation: Hashable, Sendable {
    public var plugin: String
    public var localAddress: PluginIPv4Address
    public var peerAddress: PluginIPv4Address

    public init(plugin: String, localAddress: PluginIPv4Address, peerAddress: PluginIPv4Address) {
        self.plugin = plugin
        self.localAddress = localAddress
        self.peerAddress = peerAddress
    }
}

/// The outcome of asking plugins for addresses: the first plugin that claims
/// the allocation wins.
public enum AddressAllocationResult: Hashable, Sendable {
    case allocated(AddressAllocation)
    /// No plugin allocates addresses: use the PPP profile's.
    case notClaimed
    /// A plugin claimed the allocation and failed (e.g. pool exhausted);
    /// `errno` is positive.
    case failed(plugin: String, errno: Int32)
    /// The host did not ask the plugins: the session is not live (see the log).
    case notDelivered(reason: String)
}

/// The outcome of asking plugins to start PPP on a session's PPPoL2TP socket.
public enum PPPSpawnResult: Hashable, Sendable {
    case spawned(plugin: String)
    /// No plugin starts PPP: the daemon's own PPP launcher should.
    case notClaimed
    case failed(plugin: String, errno: Int32)
    case notDelivered(reason: String)
}

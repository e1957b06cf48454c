/// Which kernel tunnels count as left behind by an earlier run of this daemon.
///
/// A kernel tunnel made with TUNNEL_CREATE + FD lives as long as its UDP socket, so
/// a crash normally takes the tunnels with it. One survives only while some other
/// process still holds the socket (a child that inherited it) or when it was made
/// without FD. The rule, chosen to leave other L2TP daemons alone:
///
/// - only tunnels in the daemon's own network namespace (netlink is per netns);
/// - only L2TPv2 over UDP (v3 and IP encapsulation are never ours);
/// - only tunnels whose local UDP port is the daemon's port, and, when the daemon
///   binds a specific address, whose local address is that address: two daemons
///   cannot both own one UDP address and port without SO_REUSEPORT, which the
///   kernel refuses for L2TP sockets anyway;
/// - never a tunnel id in `keepTunnelIDs` (ours, live) nor one this data plane
///   instance created.
public struct OrphanPolicy: Hashable, Sendable {
    /// The daemon's UDP port (1701 by default, RFC 2661 8.1).
    public var localPort: UInt16
    /// The daemon's bound IPv4 address (4 bytes, network order), or nil for any.
    public var localAddress: [UInt8]?
    /// Tunnel ids that belong to the running daemon.
    public var keepTunnelIDs: Set<UInt32>

    public init(
        localPort: UInt16 = 1701, localAddress: [UInt8]? = nil,
        keepTunnelIDs: Set<UInt32> = []
    ) {
        self.localPort = localPort
        self.localAddress = localAddress
        self.keepTunnelIDs = keepTunnelIDs
    }

    /// Whether `tunnel` is an orphan under this rule.
    public func matches(_ tunnel: KernelTunnelInfo) -> Bool {
        guard tunnel.protocolVersion == 2, tunnel.encapsulation == .udp,
            let local = tunnel.localEndpoint
        else { return false }
        if local.port != localPort { return false }
        if let address = localAddress, address != [0, 0, 0, 0], local.address != address {
            return false
        }
        return !keepTunnelIDs.contains(tunnel.tunnelID)
    }

    public func validate() throws(DataPlaneError) {
        if localPort == 0 { throw .invalidArgument("localPort", "0 is not a bound UDP port") }
        if let address = localAddress, address.count != 4 {
            throw .invalidArgument("localAddress", "must be 4 bytes (IPv4), got \(address.count)")
        }
    }
}

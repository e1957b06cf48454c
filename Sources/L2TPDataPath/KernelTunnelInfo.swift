/// One kernel tunnel as TUNNEL_GET reports it. Ids are 32-bit because the kernel
/// also holds L2TPv3 tunnels (of other programs).
public struct KernelTunnelInfo: Hashable, Sendable {
    public enum Encapsulation: Hashable, Sendable {
        case udp
        case ip
        case other(UInt16)
    }

    /// An address (4 bytes IPv4 or 16 bytes IPv6, network order) and port.
    public struct Endpoint: Hashable, Sendable {
        public var address: [UInt8]
        public var port: UInt16

        public init(address: [UInt8], port: UInt16) {
            self.address = address
            self.port = port
        }
    }

    public var tunnelID: UInt32
    public var peerTunnelID: UInt32
    public var protocolVersion: UInt8
    public var encapsulation: Encapsulation
    public var debugMask: UInt32
    /// nil when the tunnel has no UDP socket the kernel could describe.
    public var localEndpoint: Endpoint?
    public var peerEndpoint: Endpoint?
    public var statistics: DataPathStatistics

    public init(
        tunnelID: UInt32, peerTunnelID: UInt32, protocolVersion: UInt8 = 2,
        encapsulation: Encapsulation = .udp, debugMask: UInt32 = 0,
        localEndpoint: Endpoint? = nil, peerEndpoint: Endpoint? = nil,
        statistics: DataPathStatistics = .zero
    ) {
        self.tunnelID = tunnelID
        self.peerTunnelID = peerTunnelID
        self.protocolVersion = protocolVersion
        self.encapsulation = encapsulation
        self.debugMask = debugMask
        self.localEndpoint = localEndpoint
        self.peerEndpoint = peerEndpoint
        self.statistics = statistics
    }
}

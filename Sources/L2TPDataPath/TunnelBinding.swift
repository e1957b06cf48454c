/// What the datapath needs to carry a tunnel's data packets: both tunnel ids and
/// the daemon's UDP socket the control connection runs on (RFC 2661 8.1: data and
/// control share the UDP flow).
public struct TunnelBinding: Hashable, Sendable {
    /// Our tunnel id: the id the peer puts in packets it sends us.
    public var localTunnelID: UInt16
    /// The peer's tunnel id (its Assigned Tunnel ID AVP).
    public var peerTunnelID: UInt16
    /// The connected UDP socket. Must not have SO_REUSEPORT (the kernel refuses it)
    /// and must not already carry a tunnel. The caller keeps ownership.
    public var udpSocket: Int32
    /// UDP checksums on transmitted data packets; nil keeps the kernel default.
    public var udpChecksums: Bool?
    /// Kernel debug mask (L2TP_ATTR_DEBUG); nil keeps the default.
    public var debugMask: UInt32?

    public init(
        localTunnelID: UInt16, peerTunnelID: UInt16, udpSocket: Int32,
        udpChecksums: Bool? = nil, debugMask: UInt32? = nil
    ) {
        self.localTunnelID = localTunnelID
        self.peerTunnelID = peerTunnelID
        self.udpSocket = udpSocket
        self.udpChecksums = udpChecksums
        self.debugMask = debugMask
    }

    /// Tunnel id 0 is reserved (RFC 2661 3.1); a socket fd is never negative.
    public func validate() throws(DataPlaneError) {
        if localTunnelID == 0 {
            throw .invalidArgument("localTunnelID", "0 is reserved for tunnel setup (RFC 2661 3.1)")
        }
        if peerTunnelID == 0 {
            throw .invalidArgument("peerTunnelID", "0 is reserved for tunnel setup (RFC 2661 3.1)")
        }
        if udpSocket < 0 {
            throw .invalidArgument("udpSocket", "\(udpSocket) is not a file descriptor")
        }
    }
}

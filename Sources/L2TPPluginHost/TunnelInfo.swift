/// What plugins may know about a tunnel, as a plain value the daemon fills in
/// at each event. Independent of the daemon's own tunnel type on purpose: the
/// plugin ABI must not change when the daemon's internals do.
public struct TunnelInfo: Hashable, Sendable {
    /// Our tunnel id (RFC 2661 3.1).
    public var tunnelID: UInt16
    /// The peer's tunnel id, 0 until its SCCRQ/SCCRP told us.
    public var peerTunnelID: UInt16
    public var localAddress: String
    public var localPort: UInt16
    public var peerAddress: String
    public var peerPort: UInt16
    /// The peer's Host Name AVP (RFC 2661 4.4.3), once received.
    public var peerHostName: String?
    /// The configured `tunnel_name`, if any.
    public var tunnelName: String?
    /// True when the peer initiated the tunnel (we received its SCCRQ).
    public var createdByPeer: Bool

    public init(
        tunnelID: UInt16,
        peerTunnelID: UInt16 = 0,
        localAddress: String = "",
        localPort: UInt16 = 0,
        peerAddress: String = "",
        peerPort: UInt16 = 0,
        peerHostName: String? = nil,
        tunnelName: String? = nil,
        createdByPeer: Bool = false
    ) {
        self.tunnelID = tunnelID
        self.peerTunnelID = peerTunnelID
        self.localAddress = localAddress
        self.localPort = localPort
        self.peerAddress = peerAddress
        self.peerPort = peerPort
        self.peerHostName = peerHostName
        self.tunnelName = tunnelName
        self.createdByPeer = createdByPeer
    }
}

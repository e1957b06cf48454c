/// A tunnel's UDP socket once connected to its peer: the exact address and
/// port pairs an IPsec plugin protects (openl2tp-interface.md, `ipsec`).
public struct SocketInfo: Hashable, Sendable {
    public var tunnelID: UInt16
    public var localAddress: String
    public var localPort: UInt16
    public var peerAddress: String
    public var peerPort: UInt16

    public init(tunnelID: UInt16, localAddress: String, localPort: UInt16, peerAddress: String, peerPort: UInt16) {
        self.tunnelID = tunnelID
        self.localAddress = localAddress
        self.localPort = localPort
        self.peerAddress = peerAddress
        self.peerPort = peerPort
    }
}

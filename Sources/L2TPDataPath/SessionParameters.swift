/// A PPP session to bring up in the datapath, with the data-channel options the
/// control plane negotiated.
public struct SessionParameters: Hashable, Sendable {
    public var localTunnelID: UInt16
    public var peerTunnelID: UInt16
    /// Our session id: the id the peer puts in data packets it sends us.
    public var localSessionID: UInt16
    /// The peer's session id (its Assigned Session ID AVP).
    public var peerSessionID: UInt16
    /// Put Ns/Nr on transmitted data packets (RFC 2661 5.4, Sequencing Required AVP).
    public var sendSequenceNumbers: Bool
    /// Drop received data packets without sequence numbers.
    public var requireSequenceNumbers: Bool
    /// LNS behaviour: the LNS decides whether sequencing is on (RFC 2661 5.4).
    public var lnsMode: Bool
    /// How long to hold out-of-order data packets; zero means no reordering.
    public var reorderTimeoutMilliseconds: UInt32
    /// Kernel debug mask (L2TP_ATTR_DEBUG, PPPOL2TP_SO_DEBUG).
    public var debugMask: UInt32

    public init(
        localTunnelID: UInt16, peerTunnelID: UInt16,
        localSessionID: UInt16, peerSessionID: UInt16,
        sendSequenceNumbers: Bool = false, requireSequenceNumbers: Bool = false,
        lnsMode: Bool = false, reorderTimeoutMilliseconds: UInt32 = 0,
        debugMask: UInt32 = 0
    ) {
        self.localTunnelID = localTunnelID
        self.peerTunnelID = peerTunnelID
        self.localSessionID = localSessionID
        self.peerSessionID = peerSessionID
        self.sendSequenceNumbers = sendSequenceNumbers
        self.requireSequenceNumbers = requireSequenceNumbers
        self.lnsMode = lnsMode
        self.reorderTimeoutMilliseconds = reorderTimeoutMilliseconds
        self.debugMask = debugMask
    }

    /// Ids 0 are reserved (RFC 2661 3.1).
    public func validate() throws(DataPlaneError) {
        for (name, value) in [
            ("localTunnelID", localTunnelID), ("peerTunnelID", peerTunnelID),
            ("localSessionID", localSessionID), ("peerSessionID", peerSessionID),
        ]
        where value == 0 {
            throw .invalidArgument(name, "0 is reserved (RFC 2661 3.1)")
        }
    }
}

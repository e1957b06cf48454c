/// One kernel session as SESSION_GET reports it.
public struct KernelSessionInfo: Hashable, Sendable {
    public var tunnelID: UInt32
    public var sessionID: UInt32
    public var peerTunnelID: UInt32
    public var peerSessionID: UInt32
    /// 7 is PPP.
    public var pseudowireType: UInt16
    public var sendSequenceNumbers: Bool
    public var requireSequenceNumbers: Bool
    public var lnsMode: Bool
    public var reorderTimeoutMilliseconds: UInt64
    public var debugMask: UInt32
    /// The kernel interface name, empty for PPP sessions (pppd owns pppN).
    public var interfaceName: String
    public var statistics: DataPathStatistics
}

/// Data packet counters the kernel keeps per tunnel and per session (the nested
/// L2TP_ATTR_STATS attribute). Control messages are not counted here: they travel
/// on the daemon's UDP socket and the control plane counts them.
public struct DataPathStatistics: Hashable, Sendable {
    public var txPackets: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var txErrors: UInt64 = 0
    public var rxPackets: UInt64 = 0
    public var rxBytes: UInt64 = 0
    /// Packets dropped because their sequence number was old (RFC 2661 5.4 Ns/Nr).
    public var rxSequenceDiscards: UInt64 = 0
    /// Packets that arrived out of sequence (held for reordering or passed on).
    public var rxOutOfSequence: UInt64 = 0
    public var rxErrors: UInt64 = 0

    public init() {}

    public static let zero = DataPathStatistics()
}

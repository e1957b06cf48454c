/// Tunables of the reliable control transport (RFC 2661 5.8, appendix A).
public struct TransportConfiguration: Hashable, Sendable {
    /// The window we advertise in SCCRQ/SCCRP: how many out-of-order messages
    /// we are prepared to hold (RFC 2661 4.4.3 Receive Window Size).
    public var receiveWindow: UInt16 = 10
    /// First retransmission interval (RFC 2661 5.8 recommends 1 s).
    public var retryTimeout: L2TPDuration = .seconds(1)
    /// Cap on the doubled interval; RFC 2661 5.8 says no less than 8 s.
    public var retryTimeoutCap: L2TPDuration = .seconds(8)
    /// Retransmissions of one message before the tunnel is declared down.
    public var maxRetries: Int = 5
    /// How long an acknowledgement may wait for a message to ride on before a
    /// ZLB is sent for it.
    public var ackDelay: L2TPDuration = .milliseconds(500)
    /// Bound on messages waiting for the peer's window to open. Session
    /// traffic beyond it is refused so that a peer that never acks cannot make
    /// the daemon grow without bound. Priority messages (Hello, StopCCN) are
    /// always admitted.
    public var maxQueuedMessages: Int = 4096
    /// Duplicate ZLB acks that trigger an early resend of the oldest
    /// message (0 disables it: pure RFC 2661 timer-driven retransmission).
    public var fastRetransmitThreshold: Int = 2

    public init() {}

    /// The time one message may stay unacknowledged before the peer is
    /// declared gone: the sum of every backoff interval (31 s by default,
    /// the "full retransmission cycle" of RFC 2661 5.7).
    public var fullRetransmissionCycle: L2TPDuration {
        var total = L2TPDuration.zero
        var interval = retryTimeout
        for _ in 0...max(maxRetries, 0) {
            total = total + interval
            interval = interval.doubled(cappedAt: retryTimeoutCap)
        }
        return total
    }
}

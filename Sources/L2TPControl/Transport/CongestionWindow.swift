/// Slow start and congestion avoidance for the control channel
/// (RFC 2661 appendix A, after TCP as Stevens describes it).
struct CongestionWindow: Hashable, Sendable {
    /// The peer's advertised receive window: CWND never exceeds it.
    private(set) var peerWindow: Int
    /// Messages we may have outstanding right now.
    private(set) var size: Int = 1
    private(set) var slowStartThreshold: Int
    /// New ACKs seen since CWND last grew during congestion avoidance.
    private var acksSinceGrowth = 0

    init(peerWindow: Int) {
        let window = max(peerWindow, 1)
        self.peerWindow = window
        self.slowStartThreshold = window
    }

    /// The peer told us its window (SCCRQ/SCCRP). RFC 2661 5.8: 0 is invalid,
    /// the caller rejects it before we get here.
    mutating func setPeerWindow(_ window: Int) {
        peerWindow = max(window, 1)
        slowStartThreshold = peerWindow
        size = min(size, peerWindow)
    }

    /// An acknowledgement advanced the window.
    mutating func acknowledged() {
        if size < slowStartThreshold {
            size += 1  // slow start: one per ACK, doubling per round trip
        } else {
            acksSinceGrowth += 1  // congestion avoidance: one per CWND ACKs
            if acksSinceGrowth >= size {
                size += 1
                acksSinceGrowth = 0
            }
        }
        size = min(size, peerWindow)
    }

    /// A retransmission fired: half of CWND becomes SSTHRESH, CWND restarts at one.
    mutating func congestionDetected() {
        slowStartThreshold = max(size / 2, 1)
        size = 1
        acksSinceGrowth = 0
    }
}

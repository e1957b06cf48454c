import L2TPControl

/// How many datagrams a flood at a fixed rate should have sent by a given
/// time, capped by a total count and a duration: the sender tops up to
/// `due(at:)` whenever it wakes, so a late wake-up catches up instead of
/// lowering the rate.
public struct RatePacer: Hashable, Sendable {
    public let perSecond: Int
    public let duration: L2TPDuration
    public let limit: Int
    public let start: L2TPInstant

    public init(perSecond: Int, duration: L2TPDuration, limit: Int? = nil, start: L2TPInstant) {
        precondition(perSecond > 0, "rate must be positive")
        self.perSecond = perSecond
        self.duration = duration
        let byTime = Int(duration.nanoseconds / 1_000_000 * UInt64(perSecond) / 1000)
        self.limit = min(limit ?? byTime, byTime)
        self.start = start
    }

    /// The number that should have gone out by `now`.
    public func due(at now: L2TPInstant) -> Int {
        let elapsed = min(now - start, duration)
        let byNow = Int(elapsed.nanoseconds / 1_000 * UInt64(perSecond) / 1_000_000)
        return min(byNow, limit)
    }

    /// The flood has sent everything it may, or its time is up.
    public func isDone(sent: Int, at now: L2TPInstant) -> Bool {
        sent >= limit || now - start >= duration
    }

    /// When the next datagram falls due (for the sender's sleep).
    public func nextDue(after sent: Int) -> L2TPInstant {
        let nanoseconds = (UInt64(sent) + 1) * 1_000_000_000 / UInt64(perSecond)
        return start + L2TPDuration(nanoseconds: nanoseconds)
    }
}

/// A point on a monotonic clock, in nanoseconds since an arbitrary origin.
///
/// The control core never reads a clock: every entry point takes `now`, so the
/// I/O layer decides what time it is (a real monotonic clock in the daemon, a
/// simulated one in tests). That keeps every timer deterministic.
public struct L2TPInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The origin of the clock.
    public static let zero = L2TPInstant(nanoseconds: 0)

    public static func < (lhs: L2TPInstant, rhs: L2TPInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Adding saturates instead of trapping, so "never" style durations are safe.
    public static func + (lhs: L2TPInstant, rhs: L2TPDuration) -> L2TPInstant {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return L2TPInstant(nanoseconds: overflow ? .max : sum)
    }

    /// The time elapsed from `rhs` to `lhs`, zero if `rhs` is later.
    public static func - (lhs: L2TPInstant, rhs: L2TPInstant) -> L2TPDuration {
        L2TPDuration(nanoseconds: lhs.nanoseconds >= rhs.nanoseconds ? lhs.nanoseconds - rhs.nanoseconds : 0)
    }

    public var description: String { L2TPDuration(nanoseconds: nanoseconds).description }
}

/// A non-negative span of time in nanoseconds.
public struct L2TPDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func seconds(_ seconds: UInt64) -> L2TPDuration {
        L2TPDuration(
            nanoseconds: seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
                ? .max : seconds * 1_000_000_000)
    }

    public static func milliseconds(_ milliseconds: UInt64) -> L2TPDuration {
        L2TPDuration(
            nanoseconds: milliseconds.multipliedReportingOverflow(by: 1_000_000).overflow
                ? .max : milliseconds * 1_000_000)
    }

    public static let zero = L2TPDuration(nanoseconds: 0)

    public static func < (lhs: L2TPDuration, rhs: L2TPDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public static func + (lhs: L2TPDuration, rhs: L2TPDuration) -> L2TPDuration {
        let (sum, overflow) = lhs.nanoseconds.addingReportingOverflow(rhs.nanoseconds)
        return L2TPDuration(nanoseconds: overflow ? .max : sum)
    }

    /// Doubling with saturation, for exponential backoff (RFC 2661 5.8).
    public func doubled(cappedAt cap: L2TPDuration) -> L2TPDuration {
        let (product, overflow) = nanoseconds.multipliedReportingOverflow(by: 2)
        return overflow ? cap : Swift.min(L2TPDuration(nanoseconds: product), cap)
    }

    public var description: String {
        let ms = nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}

/// Trace output under a flood: each trace flag may write `linesPerInterval`
/// lines an interval; the rest are counted and reported as one line per flag
/// when the interval ends. With every flag on (`-d ALL`), 6,000 bad packets
/// then write a few hundred lines, not three per packet. The sibling of
/// `RefusalSummary` (refusals and drops, counted per reason); normal log
/// lines are not limited.
///
/// Pure: time comes in as monotonic nanoseconds; the daemon logs what
/// `admit` and `flush` return.
struct TraceRateLimit {
    /// How long one interval lasts.
    let interval: UInt64
    /// Lines each flag may write per interval.
    let linesPerInterval: Int

    private struct Window {
        var end: UInt64
        var lines = 0
        var suppressed: UInt64 = 0
    }

    /// The open interval of each flag that traced, by flag name.
    private var windows: [String: Window] = [:]

    init(interval: UInt64 = 1_000_000_000, linesPerInterval: Int = 50) {
        self.interval = interval
        self.linesPerInterval = linesPerInterval
    }

    /// Records one trace line of `flag`. `summary` is the line that closes
    /// the flag's previous interval, when it suppressed any (log it first);
    /// `allowed` says whether this line may be logged.
    mutating func admit(_ flag: String, now: UInt64) -> (summary: String?, allowed: Bool) {
        var summary: String?
        if let window = windows[flag], window.end <= now {
            summary = self.summary(flag, window)
            windows[flag] = nil
        }
        var window = windows[flag] ?? Window(end: now + interval)
        let allowed = window.lines < linesPerInterval
        if allowed { window.lines += 1 } else { window.suppressed += 1 }
        windows[flag] = window
        return (summary, allowed)
    }

    /// When the earliest interval that suppressed lines ends (its summary
    /// is due), if any did.
    var nextDeadline: UInt64? { windows.values.filter { $0.suppressed > 0 }.map(\.end).min() }

    /// Closes every interval that has ended; returns their summary lines
    /// (flags that suppressed nothing have none), in flag order.
    mutating func flush(now: UInt64) -> [String] {
        let ended = windows.filter { $0.value.end <= now }
        for flag in ended.keys { windows[flag] = nil }
        return ended.sorted { $0.key < $1.key }.compactMap { summary($0.key, $0.value) }
    }

    private func summary(_ flag: String, _ window: Window) -> String? {
        guard window.suppressed > 0 else { return nil }
        let seconds = interval / 1_000_000_000
        return "[\(flag)] \(window.suppressed) trace line\(window.suppressed == 1 ? "" : "s") suppressed "
            + "in the last \(seconds)s (at most \(linesPerInterval) per flag)"
    }
}

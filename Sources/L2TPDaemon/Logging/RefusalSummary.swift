/// Refusals and drops as an operator reads them under a flood: the first few
/// of an interval get a line each, the rest are counted per reason and
/// reported as one summary line when the interval ends. A spoofed SCCRQ
/// flood then writes a handful of lines a minute, not two per packet.
///
/// Pure: time comes in as monotonic nanoseconds; the daemon logs what
/// `note` and `flush` return.
struct RefusalSummary {
    /// How long one interval lasts.
    let interval: UInt64
    /// Lines logged individually per interval before counting starts.
    let linesPerInterval: Int
    /// Distinct reasons counted per interval; more are counted as "other".
    static let maxReasons = 32

    private var windowEnd: UInt64?
    private var linesInWindow = 0
    private var counted: [String: UInt64] = [:]

    init(interval: UInt64 = 10_000_000_000, linesPerInterval: Int = 10) {
        self.interval = interval
        self.linesPerInterval = linesPerInterval
    }

    /// Records one refusal or drop; true when it may be logged on its own
    /// line, false when it was counted for the summary instead.
    mutating func note(_ reason: String, now: UInt64) -> Bool {
        if windowEnd == nil { windowEnd = now + interval }
        if linesInWindow < linesPerInterval {
            linesInWindow += 1
            return true
        }
        let key = counted[reason] != nil || counted.count < Self.maxReasons ? reason : "other"
        counted[key, default: 0] += 1
        return false
    }

    /// Adds `count` drops that are never logged one by one (forged sources,
    /// evicted half-open tunnels) to the summary.
    mutating func count(_ reason: String, _ count: UInt64, now: UInt64) {
        guard count > 0 else { return }
        if windowEnd == nil { windowEnd = now + interval }
        counted[reason, default: 0] += count
    }

    /// When the current interval ends (its summary is due), if one is open.
    var nextDeadline: UInt64? { windowEnd }

    /// Closes the interval if it has ended; returns its summary line when
    /// anything was counted.
    mutating func flush(now: UInt64) -> String? {
        guard let end = windowEnd, end <= now else { return nil }
        defer {
            windowEnd = nil
            linesInWindow = 0
            counted.removeAll(keepingCapacity: true)
        }
        guard !counted.isEmpty else { return nil }
        let total = counted.values.reduce(0, +)
        let parts = counted.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
            .map { "\($0.value) \($0.key)" }
        let seconds = interval / 1_000_000_000
        return "in the last \(seconds)s, \(total) more refused or dropped: " + parts.joined(separator: ", ")
    }
}

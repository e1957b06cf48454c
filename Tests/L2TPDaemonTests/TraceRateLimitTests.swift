import Testing
@testable import L2TPDaemon

@Suite struct TraceRateLimitTests {
    let second: UInt64 = 1_000_000_000

    @Test func eachFlagWritesItsLinesThenCountsTheRest() {
        var limit = TraceRateLimit(interval: second, linesPerInterval: 3)
        let fsm = (0..<5).map { _ in limit.admit("FSM", now: 10) }
        #expect(fsm.map(\.allowed) == [true, true, true, false, false])
        #expect(fsm.allSatisfy { $0.summary == nil })
        // Another flag has its own budget.
        #expect(limit.admit("AVP", now: 10).allowed)
        #expect(limit.nextDeadline == 10 + second)
    }

    @Test func theSummaryComesWhenTheIntervalEnds() {
        var limit = TraceRateLimit(interval: second, linesPerInterval: 1)
        for _ in 0..<4 { _ = limit.admit("FSM", now: 0) }
        _ = limit.admit("AVP", now: 0)
        #expect(limit.flush(now: second - 1).isEmpty)
        #expect(limit.flush(now: second) == ["[FSM] 3 trace lines suppressed in the last 1s (at most 1 per flag)"])
        // Nothing is left to report; the next line opens a new interval.
        #expect(limit.nextDeadline == nil)
        #expect(limit.admit("FSM", now: second).allowed)
    }

    @Test func aLineAfterTheIntervalBringsTheSummaryFirst() {
        var limit = TraceRateLimit(interval: second, linesPerInterval: 2)
        for _ in 0..<3 { _ = limit.admit("PROTOCOL", now: 5) }
        let next = limit.admit("PROTOCOL", now: 5 + second)
        #expect(next.summary == "[PROTOCOL] 1 trace line suppressed in the last 1s (at most 2 per flag)")
        #expect(next.allowed)
        #expect(limit.flush(now: 5 + 3 * second).isEmpty)
    }

    @Test func aQuietFlagNeedsNoWakeUp() {
        var limit = TraceRateLimit(interval: second, linesPerInterval: 2)
        _ = limit.admit("FUNC", now: 0)
        #expect(limit.nextDeadline == nil)
        #expect(limit.flush(now: 2 * second).isEmpty)
    }
}

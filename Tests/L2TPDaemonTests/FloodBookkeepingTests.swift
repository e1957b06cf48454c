import Testing
@testable import L2TPDaemon

/// What a flood leaves behind: log lines and memory.
@Suite struct FloodBookkeepingTests {
    @Test func refusalsBeyondTheFirstFewAreSummarisedPerReason() {
        var summary = RefusalSummary(interval: 10, linesPerInterval: 2)
        var logged: [Bool] = []
        for t in 0..<7 {
            logged.append(summary.note(t < 2 || t % 2 == 0 ? "max_tunnels" : "deny_remote", now: UInt64(t)))
        }
        #expect(logged == [true, true, false, false, false, false, false])
        summary.count("half-open tunnels evicted", 40, now: 7)
        #expect(summary.flush(now: 9) == nil)  // the interval is not over
        #expect(summary.nextDeadline == 10)
        #expect(
            summary.flush(now: 10)
                == "in the last 0s, 45 more refused or dropped: 40 half-open tunnels evicted, 3 max_tunnels, 2 deny_remote"
        )
        // A new interval logs its first lines again.
        #expect(summary.nextDeadline == nil)
        let again = summary.note("max_tunnels", now: 11)
        #expect(again)
    }

    @Test func distinctReasonsAreBounded() {
        var summary = RefusalSummary(interval: 10, linesPerInterval: 0)
        for i in 0..<100 { _ = summary.note("reason \(i)", now: 0) }
        let line = summary.flush(now: 10) ?? ""
        #expect(line.contains("68 other"))
    }

    @Test func peerHostNamesAreEscapedInLogLines() throws {
        let h = DaemonHarness()
        try h.run("system modify deny_remote_tunnel_creates=yes")
        let forged = "lac\n2026-12-04T00:00:00 critical openl2tpd: forged\u{1B}[2J"
        h.daemon.perform([
            .event(
                .tunnelRequested(
                    TunnelRequest(
                        peer: IPv4SocketAddress(address: 0xC633_6401, port: 1701), peerHostName: forged,
                        peerTunnelID: 1, tunnelID: 9)))
        ])
        let line = try #require(h.log.lines.first { $0.contains("refused tunnel 9") })
        #expect(line.contains("host 'lac\\n2026-12-04T00:00:00 critical openl2tpd: forged\\u{1B}[2J'"))
        #expect(!h.log.lines.contains { $0.hasPrefix("2026-12-04T00:00:00") || $0.contains("\u{1B}") })
    }

    @Test func memoryIsReturnedOnceTheTunnelTableShrank() {
        let h = DaemonHarness()
        let peer = IPv4SocketAddress(address: 0xC633_6401, port: 1701)
        for id in UInt16(1)...300 {
            h.daemon.perform([
                .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "x", peerTunnelID: id, tunnelID: id)))
            ])
        }
        #expect(h.daemon.tunnels.count == 300 && h.daemon.halfOpenTunnels.count == 300)
        h.daemon.handleTimers()
        #expect(h.io.memoryReturns == 0)
        h.daemon.perform((UInt16(1)...290).map { .event(.tunnelFreed(tunnelID: $0)) })
        h.daemon.handleTimers()
        #expect(h.io.memoryReturns == 1)
        #expect(h.daemon.tunnels.count == 10 && h.daemon.halfOpenTunnels.count == 10)
        h.daemon.handleTimers()
        #expect(h.io.memoryReturns == 1)
    }
}

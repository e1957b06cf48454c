import L2TPConfig
import L2TPControl
import L2TPWire
import NIOCore
import PPPEvents
import Testing
@testable import L2TPDaemon

/// What a peer sends (Host Name, Result Code messages, the user it
/// authenticated as) reaches the log, the traces and `show` text escaped:
/// one message stays one line and no terminal escape gets through.
@Suite struct PeerTextInLogTests {
    static let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 1701)
    /// A newline that starts a forged `critical` line, a backslash sequence
    /// that would read as an escape, and a screen clear.
    static let forged = #"lac\x0a"# + "\n2026-12-04T00:00:00 critical openl2tpd: forged\u{1B}[2J\r"
    /// `forged` as VisibleText shows it.
    static let shown = #"lac\\x0a\n2026-12-04T00:00:00 critical openl2tpd: forged\u{1B}[2J\r"#

    /// Every trace flag on (`-d ALL`), one local tunnel (100) created.
    func tracedHarness() throws -> DaemonHarness {
        var options = DaemonOptions()
        options.traceFlags = .all
        let h = DaemonHarness(options: options)
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1")
        return h
    }

    func expectOneLineEach(_ h: DaemonHarness, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let raw = h.log.lines.filter { line in
            line.unicodeScalars.contains { $0 == "\n" || $0 == "\r" || $0 == "\u{1B}" }
        }
        #expect(raw.isEmpty, "raw control characters in \(raw)", sourceLocation: sourceLocation)
    }

    @Test func aTunnelUpWithAForgedHostNameIsLoggedTracedAndShownEscaped() throws {
        let h = try tracedHarness()
        let sccrp = try ControlMessage(
            .sccrp, tunnelID: 100, avps: [.assignedTunnelID(7), .hostName(Array(Self.forged.utf8))]
        ).encoded()
        h.daemon.receive(sccrp, from: Self.peer, onTunnel: 100)
        h.daemon.perform([
            .event(.tunnelUp(tunnelID: 100, peerTunnelID: 7, peer: Self.peer, peerHostName: Self.forged))
        ])
        expectOneLineEach(h)
        #expect(h.log.contains("[AVP] tunnel 100 RX SCCRP AVP Host Name [M]: '\(Self.shown)'"))
        #expect(h.log.contains("tunnel 100 (t) up: peer 127.0.0.1:1701 host '\(Self.shown)'"))
        let shown = h.daemon.showTunnel(100)
        #expect(shown.contains("host name: \(Self.shown)"))
        #expect(!shown.contains("\u{1B}") && !shown.contains("2026-12-04T00:00:00 critical openl2tpd: forged\n"))
    }

    @Test func aPeersStopCCNAndCDNMessagesAreLoggedAndTracedEscaped() throws {
        let h = try tracedHarness()
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        let cdnCode = ResultCode(result: 2, error: 0, message: Array(Self.forged.utf8))
        let cdn = try ControlMessage(
            .cdn, tunnelID: 100, sessionID: 1000, avps: [.resultCode(cdnCode), .assignedSessionID(9)]
        ).encoded()
        h.daemon.receive(cdn, from: Self.peer, onTunnel: 100)
        h.daemon.perform([
            .event(
                .sessionDown(
                    tunnelID: 100, sessionID: 1000,
                    reason: SessionDownReason.closedByPeer(cdnCode, nil).description))
        ])
        let stopCode = ResultCode(result: 2, error: 0, message: Array(Self.forged.utf8))
        let stopCCN = try ControlMessage(.stopCCN, tunnelID: 100, avps: [.assignedTunnelID(7), .resultCode(stopCode)])
            .encoded()
        h.daemon.receive(stopCCN, from: Self.peer, onTunnel: 100)
        h.daemon.perform([
            .event(
                .tunnelDown(
                    tunnelID: 100, reason: TunnelDownReason.closedByPeer(stopCode).description, byPeer: true))
        ])
        expectOneLineEach(h)
        #expect(
            h.log.contains("session 1000 in tunnel 100 down: closed by peer (result 2, error 0, \"\(Self.shown)\")"))
        #expect(
            h.log.contains(
                "tunnel 100 (t) down: closed by peer (result 2, error 0, \"\(Self.shown)\") (StopCCN from peer)"))
        #expect(h.log.contains("RX CDN AVP Result Code [M]: result 2, error 0, \"\(Self.shown)\""))
        #expect(h.log.contains("RX StopCCN AVP Result Code [M]: result 2, error 0, \"\(Self.shown)\""))
    }

    @Test func theUserPPPReportsIsLoggedAndListedEscaped() throws {
        let h = try tracedHarness()
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        let up = PPPLinkState(
            tunnelID: 100, sessionID: 1000, isUp: true, unit: 0, interfaceName: "ppp0\u{1B}[2J",
            userName: Self.forged)
        h.daemon.handlePPPEvent(.success(.upDown(up)))
        expectOneLineEach(h)
        #expect(h.log.contains(#"PPP up on ppp0\u{1B}[2J (unit 0) user '"# + Self.shown + "'"))
    }

    // MARK: - Rate-limited traces

    /// A control header (tunnel 0) whose only AVP claims 3 octets: undecodable.
    static let badDatagram: ByteBuffer = {
        var buffer = ByteBuffer()
        buffer.writeBytes([0xC8, 0x02, 0x00, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x03, 0, 0, 0, 1])
        return buffer
    }()

    @Test func sixThousandBadPacketsWriteAFewHundredTraceLinesAndOneSummaryPerFlag() throws {
        let h = try tracedHarness()
        // A second after the configuration's own trace lines.
        h.now += 1_000_000_000
        let start = h.now
        let before = h.log.lines.count
        for _ in 0..<6_000 { h.daemon.receive(Self.badDatagram, from: Self.peer, onTunnel: nil) }
        let flood = Array(h.log.lines[before...])
        let limit = TraceRateLimit().linesPerInterval
        for flag in ["FUNC", "PROTOCOL", "AVP_HIDE"] {
            #expect(flood.filter { $0.contains("[\(flag)]") }.count == limit)
        }
        #expect(flood.count == 3 * limit)
        // The summary is due when the second ends: the daemon wakes for it.
        #expect(h.io.wakeup == start + 1_000_000_000)
        h.now = start + 1_000_000_000
        h.daemon.handleTimers()
        let suppressed = 6_000 - limit
        for flag in ["FUNC", "PROTOCOL", "AVP_HIDE"] {
            #expect(h.log.contains("[\(flag)] \(suppressed) trace lines suppressed in the last 1s"))
        }
        // The next second traces again.
        h.daemon.receive(Self.badDatagram, from: Self.peer, onTunnel: nil)
        #expect(h.log.lines.last?.contains("[AVP_HIDE] RX message not decoded") == true)
    }

    @Test func normalLogLinesAreNotLimited() throws {
        let h = try tracedHarness()
        h.now += 1_000_000_000
        h.tunnelUp(100)
        for _ in 0..<6_000 { h.daemon.receive(Self.badDatagram, from: Self.peer, onTunnel: nil) }
        // 500 notice lines (sessions up) in the same second as the traces.
        h.daemon.perform(
            (UInt16(1)...500).map { .event(.sessionUp(tunnelID: 100, sessionID: $0, peerSessionID: $0)) })
        #expect(h.log.lines.filter { $0.contains(" in tunnel 100 up: peer session ") }.count == 500)
    }
}

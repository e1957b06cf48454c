import Logging
import NIOCore
import PPPEvents
import Testing
@testable import L2TPDaemon

/// Set-Link-Info in the daemon (RFC 2661 6.14, 4.4.6): the LNS sends the ACCM
/// pppd reported to the LAC; a LAC sends none, and records the one it gets.
@Suite struct DaemonSetLinkInfoTests {
    /// A tunnel the peer created (we are its LNS), with session 2000 established.
    static func lnsSession(_ h: DaemonHarness) {
        h.daemon.perform([
            .event(
                .tunnelRequested(
                    TunnelRequest(
                        peer: IPv4SocketAddress(address: 0x7F00_0001, port: 1701), peerHostName: "peer",
                        peerTunnelID: 7, tunnelID: 200)))
        ])
        h.tunnelUp(200)
        h.daemon.perform([.event(.sessionUp(tunnelID: 200, sessionID: 2000, peerSessionID: 9))])
    }

    /// Our tunnel to the peer (we are its LAC), with session 1000 established.
    static func lacSession(_ h: DaemonHarness) throws {
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
    }

    static func accm(_ tid: UInt16, _ sid: UInt16, _ send: UInt32, _ receive: UInt32) -> Result<PPPEvent, PPPEventError>
    {
        .success(.accm(PPPACCMIndication(tunnelID: tid, sessionID: sid, sendACCM: send, receiveACCM: receive)))
    }

    @Test func lnsSendsTheACCMPPPDReported() throws {
        let h = DaemonHarness()
        Self.lnsSession(h)
        let sentBefore = h.io.sent.count
        h.daemon.handlePPPEvent(Self.accm(200, 2000, 0, 0xFFFF_FFFF))
        #expect(h.engine.linkInfos.count == 1)
        let request = try #require(h.engine.linkInfos.first)
        #expect(request.0 == 200 && request.1 == 2000 && request.2 == 0 && request.3 == 0xFFFF_FFFF)
        #expect(h.io.sent.count == sentBefore + 1)
        #expect(
            h.log.contains(
                "session 2000 in tunnel 200: ACCM send 0x00000000 receive 0xffffffff from pppd: Set-Link-Info to the LAC"
            ))
        // The ACCM can change during the call (LCP renegotiated): each report is sent.
        h.daemon.handlePPPEvent(Self.accm(200, 2000, 0x000A_0000, 0))
        #expect(h.engine.linkInfos.count == 2 && h.engine.linkInfos.last?.2 == 0x000A_0000)
    }

    @Test func lacSendsNoSetLinkInfo() throws {
        let h = DaemonHarness()
        try Self.lacSession(h)
        h.daemon.handlePPPEvent(Self.accm(100, 1000, 0, 0))
        #expect(h.engine.linkInfos.isEmpty)
    }

    @Test func noSetLinkInfoForUnknownOrUnestablishedSessions() throws {
        let h = DaemonHarness()
        Self.lnsSession(h)
        h.daemon.handlePPPEvent(Self.accm(200, 2001, 0, 0))
        h.daemon.handlePPPEvent(Self.accm(201, 2000, 0, 0))
        #expect(h.engine.linkInfos.isEmpty)
    }

    @Test func lacRecordsThePeersSetLinkInfo() throws {
        let h = DaemonHarness()
        try Self.lacSession(h)
        h.daemon.perform([
            .event(.peerSetLinkInfo(tunnelID: 100, sessionID: 1000, sendACCM: 0x000A_0000, receiveACCM: 0xFFFF_FFFF))
        ])
        let record = try #require(h.daemon.tunnels[100]?.sessions[1000])
        #expect(record.peerACCM == PeerACCM(sendACCM: 0x000A_0000, receiveACCM: 0xFFFF_FFFF))
        #expect(
            h.log.contains(
                "session 1000 in tunnel 100: peer set ACCM send 0x000a0000 receive 0xffffffff (Set-Link-Info)"))
        let fields = h.daemon.sessionRecord(record, detailed: true)
        #expect(fields["peer_send_accm"] == .uint(0x000A_0000) && fields["peer_receive_accm"] == .uint(0xFFFF_FFFF))
        // A summary (session list) does not carry it.
        #expect(h.daemon.sessionRecord(record)["peer_send_accm"] == nil)
    }

    @Test func lnsIgnoresASetLinkInfoFromTheLAC() throws {
        let h = DaemonHarness()
        Self.lnsSession(h)
        h.daemon.perform([.event(.peerSetLinkInfo(tunnelID: 200, sessionID: 2000, sendACCM: 0, receiveACCM: 0))])
        #expect(h.daemon.tunnels[200]?.sessions[2000]?.peerACCM == nil)
        #expect(h.log.contains("from the LAC, which only an LNS sends (RFC 2661 6.14): ignored"))
        // Unknown sessions: nothing recorded, nothing breaks.
        h.daemon.perform([.event(.peerSetLinkInfo(tunnelID: 200, sessionID: 7, sendACCM: 0, receiveACCM: 0))])
        #expect(h.daemon.tunnels[200]?.sessions[7] == nil)
    }
}

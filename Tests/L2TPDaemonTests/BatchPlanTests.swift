import Testing
@testable import L2TPDaemon

/// A batch's plan, as the daemon carries it out: teardown in order, then
/// the follow-ups that call the engine again.
@Suite struct BatchPlanTests {
    let peer = IPv4SocketAddress(address: 0xC000_0201, port: 1701)

    @Test func aRequestIsDecidedAfterItsBatch() throws {
        let h = DaemonHarness()
        try h.run("system modify deny_remote_tunnel_creates=yes")
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "a", peerTunnelID: 1, tunnelID: 10)))
        ])
        #expect(h.daemon.lastPlan.teardown.isEmpty)
        #expect(
            h.daemon.lastPlan.followUps == [
                .decideTunnel(10, .refuse(Refusal(resultCode: 4, reason: "deny_remote_tunnel_creates=yes")))
            ])
        // Carried out: the engine got the refusal, and the tunnel is gone with its StopCCN.
        #expect(h.engine.closed == [10])
        #expect(h.daemon.tunnels[10] == nil)
    }

    @Test func sessionHooksRunBeforeTheirTunnelsAndBothAfterTheBookkeeping() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1")
        h.tunnelUp(100)
        h.daemon.perform([
            .event(.sessionUp(tunnelID: 100, sessionID: 1, peerSessionID: 5)),
            .event(.sessionUp(tunnelID: 100, sessionID: 2, peerSessionID: 6)),
        ])
        h.daemon.perform([
            .event(.sessionDown(tunnelID: 100, sessionID: 1, reason: "tunnel down")),
            .event(.sessionDown(tunnelID: 100, sessionID: 2, reason: "tunnel down")),
            .event(.tunnelDown(tunnelID: 100, reason: "closed by peer", byPeer: true)),
        ])
        #expect(
            h.daemon.lastPlan.teardown == [
                .sessionDown(tunnelID: 100, sessionID: 1, hadRecord: true),
                .sessionDown(tunnelID: 100, sessionID: 2, hadRecord: true),
                .tunnelDown(100),
            ])
        #expect(h.daemon.tunnels[100]?.state == .closing)
    }
}

@Suite struct ResponderSocketTests {
    let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)

    @Test func aProfilesOwnPortGivesTheTunnelItsSocketBeforeTheSCCRP() throws {
        let h = DaemonHarness()
        try h.run("tunnel profile modify profile_name=default our_udp_port=47123")
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "a", peerTunnelID: 1, tunnelID: 10)))
        ])
        guard case .accept = h.engine.tunnelDecisions.first?.1 else {
            Issue.record("refused")
            return
        }
        #expect(h.io.attached[10] != nil)
    }

    @Test func otherwiseAHalfOpenTunnelHasNoSocket() throws {
        let h = DaemonHarness()
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "a", peerTunnelID: 1, tunnelID: 10)))
        ])
        #expect(h.io.attached[10] == nil)
    }
}

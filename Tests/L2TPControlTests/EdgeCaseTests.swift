import L2TPControl
import L2TPWire
import Testing

/// Teardown lingering, acks and priorities seen from a scripted peer.
@Suite struct EdgeCaseTests {
    @Test func stopCCNToTunnelZeroFindsTheResponderTunnel() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 5))
        var peer = ScriptedPeer(endpoint: endpoint)
        #expect(peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 31), tunnel: 0).replies.types == [.sccrp])
        let tunnel = peer.remoteTunnelID
        let out = peer.send(.stopCCN, [.assignedTunnelID(31), .resultCode(ResultCode(.generalRequest))], tunnel: 0)
        #expect(out.actions.contains { if case .tunnelDown(tunnel, .closedByPeer) = $0 { true } else { false } })
        // Acknowledged at once (RFC 2661 5.7).
        #expect(out.replies.count == 1 && out.replies[0].isZLB)
    }

    @Test func stopCCNRetransmissionsAreAcknowledgedWhileLingering() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 6))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        let stopNs = peer.ns
        _ = peer.send(.stopCCN, [.assignedTunnelID(peer.tunnelID), .resultCode(ResultCode(.shuttingDown))])
        #expect(endpoint.tunnel(tunnel)?.phase == .closing)
        // Our ZLB was "lost": the peer retransmits the StopCCN 20 s later.
        peer.now = peer.now + .seconds(20)
        _ = endpoint.handleTimeout(now: peer.now)
        let again = peer.send(
            .stopCCN, [.assignedTunnelID(peer.tunnelID), .resultCode(ResultCode(.shuttingDown))], nsOverride: stopNs)
        #expect(again.replies.count == 1 && again.replies[0].isZLB && again.replies[0].nr == stopNs &+ 1)
        // Freed one full retransmission cycle (31 s) after the StopCCN.
        peer.now = peer.now + .seconds(10)
        #expect(endpoint.nextDeadline == peer.now + .seconds(1))
        peer.now = peer.now + .seconds(1)
        let freed = endpoint.handleTimeout(now: peer.now)
        #expect(freed.contains { if case .tunnelFreed(tunnel) = $0 { true } else { false } })
        #expect(endpoint.nextDeadline == nil && endpoint.tunnelIDs.isEmpty)
    }

    @Test func delayedAckIsAZLBAfter500ms() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 7))
        var peer = ScriptedPeer(endpoint: endpoint)
        _ = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 1), tunnel: 0)
        let scccn = peer.send(.scccn, [])
        #expect(scccn.replies.isEmpty)  // no message to carry the ack yet
        #expect(endpoint.nextDeadline == peer.now + .milliseconds(500))
        peer.now = peer.now + .milliseconds(500)
        let zlb = peer.absorb(endpoint.handleTimeout(now: peer.now))
        #expect(zlb.count == 1 && zlb[0].isZLB && zlb[0].nr == 2)
    }

    @Test(arguments: [true, false])
    func helloAndStopCCNGoAheadOfQueuedSessionTraffic(hello: Bool) throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 8))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        // CWND is 2 after the handshake: two ICRQs go out, four wait.
        for _ in 0..<6 {
            _ = peer.absorb(try endpoint.openSession(tunnel: tunnel, SessionParameters(), now: peer.now).1)
        }
        #expect(endpoint.tunnel(tunnel)?.transport.queued == 4)
        if hello {
            // 60 s of silence from the peer: Hello is queued at the front.
            peer.now = peer.now + .seconds(60)
            _ = peer.absorb(endpoint.handleTimeout(now: peer.now))
        } else {
            _ = try endpoint.closeTunnel(tunnel, result: ResultCode(.generalRequest), now: peer.now)
        }
        // Once the window opens, the priority message is the first new one.
        let next = peer.sendZLB()
        #expect(next.first?.messageType == (hello ? .hello : .stopCCN))
    }
}

import L2TPControl
import L2TPWire
import Testing

/// LAC and LNS endpoints wired together on a clean simulated link.
@Suite struct L2TPEndpointTests {
    @Test func establishesATunnelAndFreesItAfterStopCCN() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lns).tunnelsUp.count == 1 && net.record(.lac).tunnelsUp.count == 1 }))
        let lacInfo = try #require(net.record(.lac).tunnelsUp[tunnel])
        let lnsTunnel = lacInfo.peerTunnelID
        let lnsInfo = try #require(net.record(.lns).tunnelsUp[lnsTunnel])
        #expect(lnsInfo.peerTunnelID == tunnel)
        #expect(lacInfo.isInitiator && !lnsInfo.isInitiator)
        #expect(lacInfo.peerHostName == "openl2tp" && lacInfo.peerReceiveWindow == 10)
        #expect(net.lac.tunnel(tunnel)?.phase == .established)

        try net.closeTunnel(.lac, tunnel: tunnel)
        net.run(for: .seconds(5))
        #expect(net.record(.lac).tunnelsDown[tunnel] == .closedLocally(ResultCode(.generalRequest)))
        #expect(net.record(.lns).tunnelsDown[lnsTunnel] == .closedByPeer(ResultCode(.generalRequest)))
        // RFC 2661 5.7: the receiver lingers a full retransmission cycle.
        #expect(net.lns.tunnel(lnsTunnel)?.phase == .closing)
        net.run(for: .seconds(60))
        #expect(net.record(.lac).tunnelsFreed == [tunnel])
        #expect(net.record(.lns).tunnelsFreed == [lnsTunnel])
        #expect(net.lac.nextDeadline == nil && net.lns.nextDeadline == nil)
        #expect(net.lac.tunnelIDs.isEmpty && net.lns.tunnelIDs.isEmpty)
        #expect(net.lac.statistics[.sccrq].tx == 1 && net.lns.statistics[.sccrq].rxGood == 1)
        #expect(net.lns.statistics[.stopCCN].rxGood == 1 && net.lac.statistics[.stopCCN].tx == 1)
    }

    @Test func thousandSessionsComeUpAndGoDownFromEachSide() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        var sessions: [SessionID] = []
        for i in 0..<1000 {
            var p = SessionParameters(callType: .lacIncoming)
            p.callingNumber = "\(i)"
            sessions.append(try net.openSession(.lac, tunnel: tunnel, p))
        }
        #expect(Set(sessions).count == 1000)
        #expect(
            net.run(until: { net.record(.lns).sessionsUp.count == 1000 && net.record(.lac).sessionsUp.count == 1000 }))
        let lnsTunnel = try #require(net.peerTunnel(of: tunnel, on: .lac))
        #expect(net.lns.tunnel(lnsTunnel)?.sessionCount == 1000)
        // Peer ids are cross-consistent.
        for (key, info) in net.record(.lac).sessionsUp {
            let peerKey = SimulatedNetwork.SessionKey(tunnel: lnsTunnel, session: info.peerSessionID)
            #expect(net.record(.lns).sessionsUp[peerKey]?.peerSessionID == key.session)
        }
        // Half torn down by the LAC, half by the LNS.
        let lnsSessions = net.lns.sessions(tunnel: lnsTunnel)
        for s in sessions.prefix(500) { try net.closeSession(.lac, tunnel: tunnel, session: s) }
        let lacHalf = Set(sessions.prefix(500))
        for s in lnsSessions where !lacHalf.contains(s.peerSessionID) {
            try net.closeSession(.lns, tunnel: lnsTunnel, session: s.sessionID, result: ResultCode(.lostCarrier))
        }
        #expect(
            net.run(until: {
                net.record(.lns).sessionsDown.count == 1000 && net.record(.lac).sessionsDown.count == 1000
            }))
        #expect(net.lac.tunnel(tunnel)?.sessionCount == 0 && net.lns.tunnel(lnsTunnel)?.sessionCount == 0)
        let downOnLAC = net.record(.lac).sessionsDown
        #expect(downOnLAC.values.filter { $0 == .closedLocally(ResultCode(.administrative)) }.count == 500)
        #expect(downOnLAC.values.filter { $0 == .closedByPeer(ResultCode(.lostCarrier), nil) }.count == 500)
        net.run(for: .seconds(1))
        #expect(net.lac.tunnel(tunnel)?.transport.unacknowledged == 0)
    }

    @Test func tunnelTeardownFromTheLNSTakesSessionsDown() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        for _ in 0..<5 { _ = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming)) }
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 5 && net.record(.lac).sessionsUp.count == 5 }))
        let lnsTunnel = try #require(net.peerTunnel(of: tunnel, on: .lac))
        try net.closeTunnel(.lns, tunnel: lnsTunnel, result: ResultCode(.shuttingDown))
        net.run(for: .seconds(120))
        #expect(net.record(.lac).sessionsDown.count == 5)
        #expect(net.record(.lns).sessionsDown.count == 5)
        #expect(
            net.record(.lac).sessionsDown.values.allSatisfy {
                $0 == .tunnelDown(.closedByPeer(ResultCode(.shuttingDown)))
            })
        #expect(net.record(.lac).tunnelsFreed == [tunnel] && net.record(.lns).tunnelsFreed == [lnsTunnel])
        #expect(net.lac.nextDeadline == nil && net.lns.nextDeadline == nil)
    }

    @Test func sessionsOpenedBeforeTheTunnelIsUpWaitForIt() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        let session = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
        #expect(net.lac.sessions(tunnel: tunnel).first?.isEstablished == false)
        #expect(net.run(until: { net.record(.lac).sessionsUp.count == 1 }))
        #expect(net.record(.lac).sessionsUp.keys.first?.session == session)
    }

    @Test func helloAfterSilenceAndTheTunnelStaysUp() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 1 }))
        let lnsTunnel = try #require(net.peerTunnel(of: tunnel, on: .lac))
        func hellos() -> UInt64 {
            (net.lac.tunnel(tunnel)?.statistics.helloSent ?? 0) + (net.lns.tunnel(lnsTunnel)?.statistics.helloSent ?? 0)
        }
        // Whichever side heard nothing for 60 s sends the Hello; its
        // acknowledgement resets the other side's silence timer.
        net.run(for: .seconds(59))
        #expect(hellos() == 0)
        net.run(for: .seconds(2))
        #expect(hellos() == 1)
        net.run(for: .seconds(600))
        #expect(hellos() == 11)
        #expect(net.lac.tunnel(tunnel)?.phase == .established)
        #expect(net.record(.lac).tunnelsDown.isEmpty && net.record(.lns).tunnelsDown.isEmpty)
        #expect(net.lac.statistics[.hello].rxGood + net.lns.statistics[.hello].rxGood == 11)
    }

    @Test func peerDisappearsAndTheTunnelIsDeclaredDownAfterTheRetries() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        _ = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
        #expect(net.run(until: { net.record(.lac).sessionsUp.count == 1 }))
        net.run(for: .seconds(1))
        net.blackhole = .lns
        let silentSince = net.now
        // Hello goes out 60 s after the last message from the LNS, then 1+2+4+8+8+8 s of retries.
        #expect(net.run(until: { net.record(.lac).tunnelsDown[tunnel] != nil }, within: .seconds(200)))
        #expect(net.record(.lac).tunnelsDown[tunnel] == .peerUnreachable)
        let elapsed = net.now - silentSince
        #expect(elapsed >= .seconds(60 + 31 - 2) && elapsed <= .seconds(60 + 31))
        #expect(net.record(.lac).sessionsDown.count == 1)
        #expect(net.record(.lac).tunnelsFreed == [tunnel])
        #expect(net.lac.nextDeadline == nil)
    }

    @Test func unansweredSCCRQGivesUpAfterAFullCycle() throws {
        let net = SimulatedNetwork()
        net.blackhole = .lac
        let start = net.now
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lac).tunnelsFreed.contains(tunnel) }, within: .seconds(100)))
        #expect(net.now - start == .seconds(31))
        #expect(net.record(.lac).sent.count == 6)  // SCCRQ + 5 retransmissions
        #expect(net.lac.statistics.retransmissions == 5)
    }

    @Test func customRetryParametersChangeTheTiming() throws {
        let net = SimulatedNetwork()
        net.blackhole = .lac
        var p = TunnelParameters()
        p.retryTimeout = .seconds(2)
        p.retryTimeoutCap = .seconds(4)
        p.maxRetries = 3
        let start = net.now
        let tunnel = try net.openTunnel(p)
        #expect(net.run(until: { net.record(.lac).tunnelsFreed.contains(tunnel) }, within: .seconds(100)))
        #expect(net.now - start == .seconds(2 + 4 + 4 + 4))
    }

    @Test func sendQueueIsBoundedWhenThePeerNeverAcks() throws {
        let net = SimulatedNetwork()
        var p = TunnelParameters()
        p.transport.maxQueuedMessages = 50
        let tunnel = try net.openTunnel(p)
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 1 && net.record(.lns).tunnelsUp.count == 1 }))
        net.blackhole = .lns
        var refused: L2TPControlError?
        for _ in 0..<200 {
            do {
                _ = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
            } catch let error as L2TPControlError {
                refused = error
                break
            }
        }
        #expect(refused == .sendQueueFull(tunnel, limit: 50))
        let snapshot = try #require(net.lac.tunnel(tunnel))
        #expect(snapshot.transport.queued == 50)
        // The tunnel still goes down cleanly when the peer never answers.
        #expect(net.run(until: { net.record(.lac).tunnelsFreed.contains(tunnel) }, within: .seconds(100)))
        #expect(net.record(.lac).sessionsDown.count == snapshot.sessionCount)
    }

    @Test func sessionEstablishTimeoutSendsCDNWithResult10() throws {
        // The LNS accepts the ICRQ but the LAC never sends ICCN: simulate by
        // an LNS-outgoing call to a LAC that refuses nothing but a session
        // timeout shorter than one round trip.
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 1 }))
        net.blackhole = .lns
        var p = SessionParameters(callType: .lacIncoming)
        p.establishTimeout = .seconds(3)
        let session = try net.openSession(.lac, tunnel: tunnel, p)
        net.run(for: .seconds(4))
        let key = SimulatedNetwork.SessionKey(tunnel: tunnel, session: session)
        #expect(
            net.record(.lac).sessionsDown[key]
                == .closedLocally(ResultCode(.timeout, message: "session not established in time")))
    }

    @Test func openSessionRejectsCallTypesThatAnswerThePeer() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        #expect(throws: L2TPControlError.wrongCallType(.lnsIncoming)) {
            _ = try net.lac.openSession(tunnel: tunnel, SessionParameters(callType: .lnsIncoming), now: net.now)
        }
        #expect(throws: L2TPControlError.unknownTunnel(1)) {
            _ = try net.lac.openSession(tunnel: tunnel &+ 1, SessionParameters(), now: net.now)
        }
    }

    @Test func dataTrafficPostponesHello() throws {
        let net = SimulatedNetwork()
        var p = TunnelParameters()
        p.helloTimeout = .seconds(60)
        let tunnel = try net.openTunnel(p)
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 1 }))
        let lnsTunnel = try #require(net.peerTunnel(of: tunnel, on: .lac))
        // Both sides see data every 30 s: no Hello for 10 minutes.
        for _ in 0..<20 {
            net.run(for: .seconds(30))
            net.lac.noteDataTraffic(tunnel: tunnel, now: net.now)
            net.lns.noteDataTraffic(tunnel: lnsTunnel, now: net.now)
        }
        #expect(net.lac.statistics[.hello].tx == 0 && net.lns.statistics[.hello].tx == 0)
    }

    @Test func closeAllTunnelsOnShutdown() throws {
        let net = SimulatedNetwork()
        let first = try net.openTunnel()
        let second = try net.openTunnel()
        #expect(net.run(until: { net.record(.lns).tunnelsUp.count == 2 }))
        net.perform(net.lns.closeAllTunnels(now: net.now), on: .lns)
        net.run(for: .seconds(60))
        #expect(net.record(.lac).tunnelsDown[first] == .closedByPeer(ResultCode(.shuttingDown)))
        #expect(net.record(.lac).tunnelsDown[second] == .closedByPeer(ResultCode(.shuttingDown)))
        #expect(net.lns.tunnelIDs.isEmpty && net.lac.tunnelIDs.isEmpty)
    }

    /// The StopCCN, and the peer's ZLB acknowledging it, come first in the
    /// actions, before the sessions' down events: a daemon works through
    /// the events in order, and 100 sessions' worth of work must not hold
    /// back the message (or the ack a shutting-down peer waits for).
    @Test func stopCCNAndItsAcknowledgementGoOutBeforeTheSessionsGoDown() throws {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        for _ in 0..<5 { _ = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming)) }
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 5 && net.record(.lac).sessionsUp.count == 5 }))
        net.run(for: .seconds(2))  // every pending ack flushed: only the StopCCN remains to send
        func firstSend(_ actions: [L2TPAction]) -> Int? {
            actions.firstIndex { if case .send = $0 { return true } else { return false } }
        }
        func firstSessionDown(_ actions: [L2TPAction]) -> Int? {
            actions.firstIndex { if case .sessionDown = $0 { return true } else { return false } }
        }
        let closing = net.lac.closeAllTunnels(now: net.now)
        let stopCCN = try #require(firstSend(closing))
        #expect(stopCCN < (firstSessionDown(closing) ?? -1), "\(closing)")
        guard case .send(let bytes, _, _) = closing[stopCCN] else { return }
        let received = net.lns.receive(bytes, from: net.lacAddress, now: net.now)
        let zlb = try #require(firstSend(received))
        #expect(zlb < (firstSessionDown(received) ?? -1), "\(received)")
    }

    @Test func manyTunnelsShareOneDeadlineHeap() throws {
        var p = TunnelParameters()
        p.maxRetries = 12
        // Both ends retry as long: a responder waits for the SCCCN as long
        // as its own retransmission cycle.
        let net = SimulatedNetwork(seed: 3, faults: .lossy, lnsPolicy: AcceptAllPolicy(tunnel: p))
        for _ in 0..<300 { _ = try net.openTunnel(p) }
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 300 && net.record(.lns).tunnelsUp.count == 300 }))
        for endpoint in [net.lac, net.lns] {
            let perTunnel = endpoint.tunnelIDs.compactMap { endpoint.nextDeadline(tunnel: $0) }.min()
            #expect(endpoint.nextDeadline == perTunnel)
        }
        net.run(for: .seconds(200))  // Hellos, acks, retransmissions
        for endpoint in [net.lac, net.lns] {
            #expect(endpoint.nextDeadline == endpoint.tunnelIDs.compactMap { endpoint.nextDeadline(tunnel: $0) }.min())
        }
        net.perform(net.lac.closeAllTunnels(now: net.now), on: .lac)
        net.run(for: .seconds(3600))
        #expect(net.lac.tunnelIDs.isEmpty && net.lns.tunnelIDs.isEmpty)
        #expect(net.lac.nextDeadline == nil && net.lns.nextDeadline == nil)
    }
}

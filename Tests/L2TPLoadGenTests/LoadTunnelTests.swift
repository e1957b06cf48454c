import L2TPControl
import L2TPLoadGen
import L2TPWire
import NIOCore
import Testing

@Suite struct LoadTunnelTests {
    var clock = L2TPInstant(nanoseconds: 1_000_000_000)

    func configuration(calls: Int, pipeline: Bool) -> LoadTunnelConfiguration {
        var c = LoadTunnelConfiguration()
        c.calls = calls
        c.pipeline = pipeline
        return c
    }

    /// SCCRQ, SCCRP, SCCCN and its acknowledgement: the tunnel is up.
    mutating func establish(_ tunnel: inout LoadTunnel, _ lns: inout ScriptedLNS) throws -> [ControlMessage] {
        let sccrq = try lns.take(tunnel.start(now: clock))
        #expect(sccrq.map(\.messageType) == [.sccrq] && sccrq[0].tunnelID == 0)
        let scccn = try lns.take(tunnel.receive(lns.sccrp(), now: clock))
        #expect(scccn.map(\.messageType) == [.scccn] && scccn[0].tunnelID == lns.tunnelID)
        #expect(tunnel.phase == .waitConnect)
        let afterAck = try lns.take(tunnel.receive(lns.ack(), now: clock))
        #expect(tunnel.phase == .established)
        return afterAck
    }

    /// Answers every ICRQ until the LAC has nothing new to send: ICRP for
    /// the first `accept` calls, CDN `refuse` for the rest.
    mutating func answerCalls(
        _ tunnel: inout LoadTunnel, _ lns: inout ScriptedLNS, first: [ControlMessage], accept: Int,
        refuse: ResultCode.CDNResult = .temporaryLackOfResources
    ) throws {
        var pending = first
        var accepted = 0
        var rounds = 0
        while !pending.isEmpty, rounds < 10_000 {
            rounds += 1
            let message = pending.removeFirst()
            clock = clock + .milliseconds(1)
            let reply: ByteBuffer
            if message.messageType == .icrq {
                let sid = try #require(message.assignedSessionID)
                if accepted < accept {
                    accepted += 1
                    reply = lns.send(.icrp, session: sid, [.assignedSessionID(UInt16(1000 + sid))])
                } else {
                    reply = lns.cdn(session: sid, result: refuse)
                }
            } else {
                reply = lns.ack()
            }
            pending += try lns.take(tunnel.receive(reply, now: clock))
        }
    }

    @Test mutating func pipelinedCallsSendEveryICRQBeforeAnyICCN() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 8, pipeline: true))
        var lns = ScriptedLNS()
        let first = try establish(&tunnel, &lns)
        try answerCalls(&tunnel, &lns, first: first, accept: 5)
        let types = lns.received.compactMap(\.messageType)
        let lastICRQ = try #require(types.lastIndex(of: .icrq))
        let firstICCN = try #require(types.firstIndex(of: .iccn))
        #expect(lastICRQ < firstICCN, "ICRQs and ICCNs interleaved: \(types)")
        #expect(types.filter { $0 == .icrq }.count == 8 && types.filter { $0 == .iccn }.count == 5)
        // Each ICCN goes to the session the LNS assigned (RFC 2661 6.8).
        #expect(lns.received.filter { $0.messageType == .iccn }.allSatisfy { $0.sessionID > 1000 })
        #expect(tunnel.isSettled)
        let tally = tunnel.tally
        #expect(tally.sessionsEstablished == 5 && tally.sessionsRefused == [4: 3] && tally.isClean)
    }

    @Test mutating func oneAtATimeWaitsForEachAnswerBeforeTheNextICRQ() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 3, pipeline: false))
        var lns = ScriptedLNS()
        let first = try establish(&tunnel, &lns)
        #expect(first.map(\.messageType) == [.icrq])
        // No answer yet: a retransmission timer is all that runs, no second ICRQ.
        let quiet = try lns.take(tunnel.receive(lns.ack(), now: clock))
        #expect(quiet.isEmpty)
        let sid = try #require(first[0].assignedSessionID)
        let next = try lns.take(
            tunnel.receive(lns.send(.icrp, session: sid, [.assignedSessionID(900)]), now: clock))
        #expect(next.map(\.messageType) == [.iccn, .icrq])
        try answerCalls(&tunnel, &lns, first: [next[1]], accept: 1, refuse: .busy)
        #expect(tunnel.tally.sessionsEstablished == 2 && tunnel.tally.sessionsRefused == [8: 1])
    }

    @Test mutating func stopCCNInAnswerToTheSCCRQIsATunnelRefusal() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 2, pipeline: true))
        var lns = ScriptedLNS()
        _ = try lns.take(tunnel.start(now: clock))
        let stop = lns.send(
            .stopCCN, [.assignedTunnelID(lns.tunnelID), .resultCode(ResultCode(.notAuthorized))])
        let out = try tunnel.receive(stop, now: clock).map { try ControlMessage.decode($0) }
        // The StopCCN is acknowledged, to the tunnel it names (RFC 2661 5.7).
        #expect(out.count == 1 && out[0].isZLB && out[0].tunnelID == lns.tunnelID && out[0].nr == 1)
        #expect(tunnel.phase == .refused(result: 4) && tunnel.isFinished && tunnel.isSettled)
        let tally = tunnel.tally
        #expect(tally.tunnelsRefused == [4: 1] && tally.tunnelsUp == 0 && tally.sessionsUnresolved == 2)
        #expect(!tally.isClean)
    }

    @Test mutating func unansweredSCCRQIsRetransmittedThenThePeerIsUnreachable() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 1, pipeline: false))
        var lns = ScriptedLNS()
        _ = try lns.take(tunnel.start(now: clock))
        var resent = 0
        while let deadline = tunnel.nextDeadline {
            clock = deadline
            let again = try lns.take(tunnel.handleTimeout(now: clock))
            resent += again.count
            #expect(again.allSatisfy { $0.messageType == .sccrq && $0.ns == 0 })
        }
        #expect(resent == TransportConfiguration().maxRetries)
        guard case .failed(let reason) = tunnel.phase else { Issue.record("phase \(tunnel.phase)"); return }
        #expect(reason.contains("unreachable"))
        #expect(tunnel.tally.protocolErrors == 1 && tunnel.tally.tunnelsUnresolved == 0)
    }

    @Test mutating func aMalformedReplyIsAProtocolError() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 1, pipeline: false))
        var lns = ScriptedLNS()
        _ = try lns.take(tunnel.start(now: clock))
        var truncated = lns.sccrp()
        truncated.moveWriterIndex(to: truncated.writerIndex - 3)
        #expect(tunnel.receive(truncated, now: clock).isEmpty)
        #expect(tunnel.tally.protocolErrors == 1 && tunnel.isFinished)
        #expect(tunnel.tally.errorMessages.first?.contains("malformed") == true)
    }

    @Test mutating func aCDNAfterTheICCNCountsAsDropped() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 1, pipeline: true))
        var lns = ScriptedLNS()
        let first = try establish(&tunnel, &lns)
        let sid = try #require(first.first?.assignedSessionID)
        _ = try lns.take(tunnel.receive(lns.send(.icrp, session: sid, [.assignedSessionID(5)]), now: clock))
        _ = try lns.take(tunnel.receive(lns.cdn(session: sid, result: .administrative), now: clock))
        #expect(tunnel.tally.sessionsEstablished == 0 && tunnel.tally.sessionsDropped == [3: 1])
    }

    @Test mutating func closeSendsStopCCNAndEndsWhenItIsAcknowledged() throws {
        var tunnel = LoadTunnel(localTunnelID: 77, configuration: configuration(calls: 0, pipeline: false))
        var lns = ScriptedLNS()
        _ = try establish(&tunnel, &lns)
        #expect(tunnel.isSettled)
        let stop = try lns.take(tunnel.close(now: clock))
        #expect(stop.map(\.messageType) == [.stopCCN] && stop[0].resultCode?.result == 1)
        #expect(stop[0].assignedTunnelID == 77 && tunnel.phase == .closing)
        _ = try lns.take(tunnel.receive(lns.ack(), now: clock))
        #expect(tunnel.phase == .closed && tunnel.tally.tunnelsUp == 1)
    }
}

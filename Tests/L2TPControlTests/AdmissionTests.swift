import L2TPControl
import L2TPWire
import NIOCore
import Testing

/// Admission as an action and a state: the endpoint reports SCCRQ, ICRQ and
/// OCRQ and waits for the caller's decision, however long it takes.
@Suite struct AdmissionTests {
    func admitTunnelRequests(_ actions: [L2TPAction]) -> [IncomingTunnelRequest] {
        actions.compactMap { if case .admitTunnel(let r) = $0 { r } else { nil } }
    }
    func admitSessionRequests(_ actions: [L2TPAction]) -> [IncomingSessionRequest] {
        actions.compactMap { if case .admitSession(let r) = $0 { r } else { nil } }
    }

    @Test func anSCCRQWaitsForTheDecisionAndItsRetransmissionsAreOnlyAcknowledged() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 21))
        var peer = ScriptedPeer(endpoint: endpoint, policy: nil)
        let first = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 9, hostName: "lac1"), tunnel: 0, nsOverride: 0)
        let requests = admitTunnelRequests(first.actions)
        #expect(requests.count == 1 && first.replies.isEmpty)
        let request = try #require(requests.first)
        #expect(request.peerHostName == "lac1" && request.peerTunnelID == 9)
        #expect(endpoint.tunnel(request.tunnelID)?.phase == .waitAdmission)
        // The peer retransmits while we decide: acknowledged, not asked again.
        peer.now = peer.now + .seconds(1)
        let again = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 9, hostName: "lac1"), tunnel: 0, nsOverride: 0)
        #expect(admitTunnelRequests(again.actions).isEmpty)
        #expect(again.replies.allSatisfy { $0.isZLB })
        #expect(endpoint.tunnelIDs == [request.tunnelID])
        // The decision comes two seconds later (a plugin asked a server).
        peer.now = peer.now + .seconds(2)
        let decided = peer.absorb(
            try endpoint.decideTunnel(request.tunnelID, .accept(TunnelParameters()), now: peer.now))
        #expect(decided.types == [.sccrp])
        #expect(peer.remoteTunnelID == request.tunnelID)
        #expect(throws: L2TPControlError.notWaitingForAdmission("")) {
            _ = try endpoint.decideTunnel(request.tunnelID, .accept(TunnelParameters()), now: peer.now)
        }
        peer.ns = 1
        _ = peer.send(.scccn, [])
        #expect(endpoint.tunnel(request.tunnelID)?.phase == .established)
    }

    @Test func aDeferredRefusalSendsStopCCNWithItsResult() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 22))
        var peer = ScriptedPeer(endpoint: endpoint, policy: nil)
        let request = try #require(
            admitTunnelRequests(peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 9), tunnel: 0).actions).first)
        let refusal = ResultCode(.notAuthorized, error: .noError, message: "RADIUS said no")
        let out = try endpoint.decideTunnel(request.tunnelID, .refuse(refusal), now: peer.now)
        let stop = try #require(peer.absorb(out).first(.stopCCN))
        #expect(stop.resultCode == refusal && stop.tunnelID == 9)
        #expect(out.contains { if case .tunnelDown(_, .closedLocally(refusal)) = $0 { true } else { false } })
    }

    @Test func aTunnelThatEndsWhileWaitingRefusesTheLateDecision() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 23))
        var peer = ScriptedPeer(endpoint: endpoint, policy: nil)
        let request = try #require(
            admitTunnelRequests(peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 9), tunnel: 0).actions).first)
        // The peer gives up and says so before we decided.
        _ = peer.send(.stopCCN, [.assignedTunnelID(9), .resultCode(ResultCode(.generalRequest))], tunnel: 0)
        #expect(endpoint.tunnel(request.tunnelID)?.phase == .closing)
        #expect(throws: L2TPControlError.notWaitingForAdmission("")) {
            _ = try endpoint.decideTunnel(request.tunnelID, .accept(TunnelParameters()), now: peer.now)
        }
    }

    @Test func sessionsWaitForTheirDecisionAndCountWhileTheyWait() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 24))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        peer.policy = nil
        var requests: [IncomingSessionRequest] = []
        for peerSession in UInt16(1)...20 {
            let out = peer.send(.icrq, [.assignedSessionID(peerSession), .callSerialNumber(UInt32(peerSession))])
            requests += admitSessionRequests(out.actions)
            #expect(out.replies.first(.icrp) == nil)
        }
        #expect(requests.count == 20)
        #expect(endpoint.tunnel(tunnel)?.sessionCount == 20)
        // Five accepted, the rest refused for lack of facilities.
        var icrps = 0
        var cdns: [ControlMessage] = []
        for (index, request) in requests.enumerated() {
            let decision: SessionAdmission =
                index < 5 ? .accept(SessionParameters()) : .refuse(ResultCode(.temporaryLackOfResources))
            let replies = peer.absorb(
                try endpoint.decideSession(
                    tunnel: tunnel, session: request.sessionID, decision, now: peer.now))
            icrps += replies.filter { $0.messageType == .icrp }.count
            cdns += replies.filter { $0.messageType == .cdn }
        }
        #expect(endpoint.tunnel(tunnel)?.sessionCount == 5)
        // Messages ride the window: acknowledge what came and collect the rest.
        for _ in 0..<20 {
            let replies = peer.sendZLB()
            icrps += replies.filter { $0.messageType == .icrp }.count
            cdns += replies.filter { $0.messageType == .cdn }
            if icrps + cdns.count == 20 { break }
        }
        #expect(icrps == 5 && cdns.count == 15)
        #expect(cdns.allSatisfy { $0.resultCode?.result == 4 })
    }

    @Test func theHalfOpenTableEvictsItsOldestSilently() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 25), maxHalfOpenTunnels: 3)
        var tunnels: [TunnelID] = []
        var evicted: [TunnelID] = []
        var sends = 0
        for host in UInt8(1)...5 {
            let sccrq = try ControlMessage(.sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 40))
                .encoded()
            let out = endpoint.receive(sccrq, from: .ipv4(203, 0, 113, host, port: 1701), now: .zero)
            tunnels += admitTunnelRequests(out).map(\.tunnelID)
            for action in out {
                if case .tunnelDown(let id, .evicted) = action { evicted.append(id) }
                if case .send = action { sends += 1 }
            }
        }
        #expect(evicted == Array(tunnels.prefix(2)))
        #expect(sends == 0)  // nothing is sent toward sources that may be forged
        #expect(endpoint.halfOpenTunnelCount == 3 && endpoint.tunnelIDs.count == 3)
        #expect(endpoint.statistics.halfOpenEvicted == 2)
    }

    @Test func establishedTunnelsAreNotHalfOpen() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 26), maxHalfOpenTunnels: 1)
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        #expect(endpoint.halfOpenTunnelCount == 0)
        let sccrq = try ControlMessage(.sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 41)).encoded()
        _ = endpoint.receive(sccrq, from: .ipv4(203, 0, 113, 9), now: peer.now)
        _ = endpoint.receive(sccrq, from: .ipv4(203, 0, 113, 10), now: peer.now)
        #expect(endpoint.tunnel(tunnel)?.phase == .established)
        #expect(endpoint.halfOpenTunnelCount == 1 && endpoint.tunnelIDs.count == 2)
    }

    @Test func aStopCCNFromAnotherPortDoesNotTearAnEstablishedTunnelDown() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 27))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        let forged = try ControlMessage(
            .stopCCN, tunnelID: tunnel, ns: peer.ns, nr: peer.nr,
            avps: [.assignedTunnelID(peer.tunnelID), .resultCode(ResultCode(.generalRequest))]
        ).encoded()
        let out = endpoint.receive(forged, from: .ipv4(198, 51, 100, 7, port: 40001), now: peer.now)
        #expect(out.isEmpty)
        #expect(endpoint.tunnel(tunnel)?.phase == .established)
        #expect(endpoint.statistics.foreignSourceDropped == 1)
        // From the peer's own address and port it is obeyed.
        _ = peer.send(.stopCCN, [.assignedTunnelID(peer.tunnelID), .resultCode(ResultCode(.generalRequest))])
        #expect(endpoint.tunnel(tunnel)?.phase == .closing)
    }

    @Test func anAssignedTunnelIDOfZeroIsRefused() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 28))
        var peer = ScriptedPeer(endpoint: endpoint, policy: nil)
        let out = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 0), tunnel: 0)
        #expect(admitTunnelRequests(out.actions).isEmpty)
        let stop = try #require(out.replies.first(.stopCCN))
        #expect(stop.resultCode?.result == 2 && stop.resultCode?.error == 3)
    }

    @Test func anAssignedSessionIDOfZeroIsRefused() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 29))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        peer.policy = nil
        let out = peer.send(.icrq, [.assignedSessionID(0), .callSerialNumber(1)])
        #expect(admitSessionRequests(out.actions).isEmpty)
        let cdn = try #require(out.replies.first(.cdn))
        #expect(cdn.resultCode?.result == 2 && cdn.resultCode?.error == 3)
        #expect(endpoint.tunnel(tunnel)?.sessionCount == 0)
    }

    @Test func theRefusedSideAcksTheStopCCNToItsAssignedTunnelID() throws {
        struct Refuse: L2TPEndpointPolicy {
            func admitTunnel(_ r: IncomingTunnelRequest) -> TunnelAdmission { .refuse(ResultCode(.notAuthorized)) }
            func admitSession(_ r: IncomingSessionRequest) -> SessionAdmission { .refuse(ResultCode(.busy)) }
        }
        let net = SimulatedNetwork(lnsPolicy: Refuse())
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lac).tunnelsDown[tunnel] != nil }, within: .seconds(5)))
        net.run(for: .seconds(5))
        let lnsTunnel = try #require(net.record(.lns).tunnelsDown.keys.first)
        // The LAC's ZLB names the refuser's tunnel, so the StopCCN is never retransmitted.
        let zlbs = net.record(.lac).sent.compactMap { try? ControlMessage.decode($0) }.filter { $0.isZLB }
        #expect(!zlbs.isEmpty && zlbs.allSatisfy { $0.tunnelID == lnsTunnel })
        #expect(net.lns.statistics.retransmissions == 0)
    }

    @Test func aHalfOpenTunnelNeverSendsMoreThanItHeard() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 30))
        var peer = ScriptedPeer(endpoint: endpoint)
        let sccrq = try ControlMessage(.sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 50)).encoded()
        #expect(peer.deliver(sccrq).replies.types == [.sccrp])
        let tunnel = peer.remoteTunnelID
        // No timer resends the SCCRP toward a source that may be forged.
        var sent = 0
        var discarded = false
        while let deadline = endpoint.nextDeadline {
            peer.now = deadline
            for action in endpoint.handleTimeout(now: deadline) {
                if case .send = action { sent += 1 }
                if case .tunnelDown(tunnel, .establishTimeout) = action { discarded = true }
            }
        }
        #expect(sent == 0)
        #expect(discarded)  // at the establish timeout, silently
        #expect(endpoint.tunnelIDs.isEmpty)
    }

    @Test func eachRepeatedSCCRQIsAnsweredOnce() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 31))
        var peer = ScriptedPeer(endpoint: endpoint)
        let sccrq = try ControlMessage(.sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 51)).encoded()
        for _ in 0..<3 { #expect(peer.deliver(sccrq).replies.types == [.sccrp]) }
        // Once established, the tunnel retransmits on its own again.
        peer.ns = 1
        _ = peer.send(.scccn, [])
        let tunnel = peer.remoteTunnelID
        #expect(endpoint.tunnel(tunnel)?.phase == .established)
        _ = peer.absorb(try endpoint.openSession(tunnel: tunnel, SessionParameters(), now: peer.now).1)
        peer.now = peer.now + .seconds(1)
        let resent = peer.absorb(endpoint.handleTimeout(now: peer.now))
        #expect(resent.types == [.icrq])
    }

    @Test func aRefusedFloodIsAnsweredOncePerSCCRQ() throws {
        struct Refuse: L2TPEndpointPolicy {
            func admitTunnel(_ r: IncomingTunnelRequest) -> TunnelAdmission { .refuse(ResultCode(.notAuthorized)) }
            func admitSession(_ r: IncomingSessionRequest) -> SessionAdmission { .refuse(ResultCode(.busy)) }
        }
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 32))
        var sent = 0
        var now = L2TPInstant(nanoseconds: 1_000_000_000)
        for host in UInt8(1)...50 {
            let sccrq = try ControlMessage(.sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 60)).encoded()
            let out = endpoint.answering(
                endpoint.receive(sccrq, from: .ipv4(203, 0, 113, host), now: now), with: Refuse(), now: now)
            sent += out.filter { if case .send = $0 { true } else { false } }.count
        }
        while let deadline = endpoint.nextDeadline {
            now = deadline
            sent += endpoint.handleTimeout(now: deadline).filter { if case .send = $0 { true } else { false } }.count
        }
        #expect(sent == 50)  // one StopCCN each, never retransmitted on a timer
        #expect(endpoint.tunnelIDs.isEmpty)
    }

    @Test func aPeerThatAnswersOurTunnelIDIsNoLongerSuspect() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 33))
        var peer = ScriptedPeer(endpoint: endpoint)
        _ = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 52), tunnel: 0)
        let tunnel = peer.remoteTunnelID
        // A Hello to our tunnel id (only our SCCRP told it): the source is real.
        _ = peer.send(.hello, [])
        peer.now = peer.now + .seconds(40)
        _ = endpoint.handleTimeout(now: peer.now)
        // Past the 31 s a forged source gets, still waiting for the SCCCN.
        #expect(endpoint.tunnel(tunnel)?.phase == .waitCtlConn)
    }
}

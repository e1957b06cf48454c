import L2TPControl
import L2TPWire
import NIOCore
import Testing

/// Challenge authentication (RFC 2661 5.1.1), simple host-name checks and
/// hidden AVPs (4.3).
@Suite struct TunnelAuthenticationTests {
    static func parameters(secret: String?, mode: TunnelAuthMode = .challenge, hide: Bool = false) -> TunnelParameters {
        var p = TunnelParameters()
        p.secret = secret.map { Array($0.utf8) }
        p.authMode = mode
        p.hideAVPs = hide
        return p
    }

    @Test func challengeBothWaysSucceedsWithTheSameSecret() throws {
        let lns = Self.parameters(secret: "s3cret")
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: lns))
        let tunnel = try net.openTunnel(Self.parameters(secret: "s3cret"))
        _ = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 1 && net.record(.lac).sessionsUp.count == 1 }))
        // Both messages carried a challenge and a checked response.
        let sccrq = try ControlMessage.decode(net.record(.lac).sent[0])
        #expect(sccrq.challenge?.count == 16)
        let sccrp = try ControlMessage.decode(net.record(.lns).sent[0])
        #expect(sccrp.challenge?.count == 16)
        #expect(
            ChallengeResponse.verify(
                try #require(sccrp.challengeResponse), for: .sccrp, secret: Array("s3cret".utf8),
                challenge: try #require(sccrq.challenge)))
    }

    @Test func wrongSecretAtTheLNSGetsStopCCNNotAuthorized() throws {
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: Self.parameters(secret: "other")))
        let tunnel = try net.openTunnel(Self.parameters(secret: "s3cret"))
        net.run(for: .seconds(10))
        // The LAC checks the SCCRP's response and refuses the tunnel.
        guard case .closedLocally(let code)? = net.record(.lac).tunnelsDown[tunnel] else {
            Issue.record("LAC tunnel not closed: \(net.record(.lac).tunnelsDown)")
            return
        }
        #expect(code.result == ResultCode.StopCCNResult.notAuthorized.rawValue)
        guard case .closedByPeer(let received)? = net.record(.lns).tunnelsDown.values.first else {
            Issue.record("LNS did not see StopCCN")
            return
        }
        #expect(received.result == 4)
        #expect(net.record(.lac).tunnelsUp.isEmpty)
    }

    @Test func wrongResponseInSCCCNIsCaughtByTheResponder() throws {
        // Only the LNS challenges; the LAC answers with the wrong secret.
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: Self.parameters(secret: "right")))
        let tunnel = try net.openTunnel(Self.parameters(secret: "wrong", mode: .none))
        net.run(for: .seconds(10))
        // The LAC thought it was up, then learnt otherwise from the StopCCN.
        #expect(net.record(.lac).tunnelsUp[tunnel] != nil)
        #expect(
            net.record(.lac).tunnelsDown[tunnel]
                == .closedByPeer(ResultCode(.notAuthorized, error: .noError, message: "challenge response mismatch")))
        #expect(net.record(.lns).tunnelsUp.isEmpty)
    }

    @Test func challengedWithoutASecretRefuses() throws {
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: Self.parameters(secret: nil, mode: .none)))
        let tunnel = try net.openTunnel(Self.parameters(secret: "s3cret"))
        net.run(for: .seconds(10))
        #expect(
            net.record(.lac).tunnelsDown[tunnel]
                == .closedByPeer(
                    ResultCode(.notAuthorized, error: .noError, message: "challenged but no secret configured")))
    }

    @Test func simpleModeChecksTheHostName() throws {
        var lns = TunnelParameters()
        lns.authMode = .simple
        lns.expectedPeerHostName = "trusted-lac"
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: lns))
        var bad = TunnelParameters()
        bad.hostName = "intruder"
        let refused = try net.openTunnel(bad)
        var good = TunnelParameters()
        good.hostName = "trusted-lac"
        let accepted = try net.openTunnel(good)
        net.run(for: .seconds(5))
        #expect(
            net.record(.lac).tunnelsDown[refused]
                == .closedByPeer(ResultCode(.notAuthorized, error: .noError, message: "unexpected host name")))
        #expect(net.record(.lac).tunnelsUp[accepted] != nil)
    }

    /// SCCRQ and SCCRP stay in the clear (their receiver picks the secret by
    /// our Host Name; xl2tpd rejects a hidden SCCRP), everything after is hidden.
    @Test func hiddenAVPsEverywhereButSCCRQAndSCCRP() throws {
        let secret = "hide-me"
        let lnsParameters = Self.parameters(secret: secret, hide: true)
        let net = SimulatedNetwork(lnsPolicy: AcceptAllPolicy(tunnel: lnsParameters))
        let tunnel = try net.openTunnel(Self.parameters(secret: secret, hide: true))
        var p = SessionParameters(callType: .lacIncoming)
        p.callingNumber = "secret-number"
        _ = try net.openSession(.lac, tunnel: tunnel, p)
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 1 && net.record(.lac).sessionsUp.count == 1 }))
        #expect(net.record(.lns).sessionsUp.values.first?.callingNumber == "secret-number")
        let key = Array(secret.utf8)
        var hiddenTypes: Set<MessageType> = []
        for bytes in net.record(.lac).sent + net.record(.lns).sent {
            let message = try ControlMessage.decode(bytes, secret: key)
            guard let type = message.messageType else { continue }
            if message.avps.contains(where: \.isHidden) { hiddenTypes.insert(type) }
            if type == .sccrq || type == .sccrp { #expect(!message.avps.contains { $0.isHidden }, "\(type)") }
        }
        #expect(hiddenTypes.isSuperset(of: [.scccn, .icrq, .icrp, .iccn]))
        // Without the secret the ICRQ cannot be read.
        let icrq = try #require(
            net.record(.lac).sent.first { (try? ControlMessage.decode($0, secret: key))?.messageType == .icrq })
        #expect(throws: L2TPWireError.self) { try ControlMessage.decode(icrq) }
    }
}

@Suite struct HiddenSCCRQTests {
    struct KnowsSecret: L2TPEndpointPolicy {
        var secret: [UInt8]?
        func admitTunnel(_ r: IncomingTunnelRequest) -> TunnelAdmission {
            var p = TunnelParameters()
            p.secret = secret
            return .accept(p)
        }
        func admitSession(_ r: IncomingSessionRequest) -> SessionAdmission { .accept(SessionParameters()) }
    }

    func hiddenSCCRQ(_ secret: [UInt8]) throws -> ByteBuffer {
        try ControlMessage(
            .sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 3), hidden: [.assignedTunnelID]
        ).encoded(secret: secret, randomVector: Array(repeating: 7, count: 16))
    }

    @Test func aHiddenSCCRQIsReadWithTheCallersSecret() throws {
        let secret = Array("cisco".utf8)
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 1))
        endpoint.secretForHiddenSCCRQ = { _ in secret }
        var peer = ScriptedPeer(endpoint: endpoint, policy: KnowsSecret(secret: secret))
        peer.secret = secret
        #expect(peer.deliver(try hiddenSCCRQ(secret)).replies.types == [.sccrp])
        #expect(endpoint.tunnelIDs.count == 1)
    }

    @Test func withoutTheSecretItIsDropped() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 1))
        var peer = ScriptedPeer(endpoint: endpoint)
        #expect(peer.deliver(try hiddenSCCRQ(Array("x".utf8))).actions.isEmpty)
        #expect(endpoint.tunnelIDs.isEmpty && endpoint.statistics.discarded == 1)
    }
}

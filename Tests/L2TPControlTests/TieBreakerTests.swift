import L2TPControl
import L2TPWire
import Testing

/// Both sides open a tunnel at once (RFC 2661 4.4.3, 7.2.1).
@Suite struct TieBreakerTests {
    func simultaneousOpen(seed: UInt64, lacTieBreaker: Bool, lnsTieBreaker: Bool) throws
        -> (SimulatedNetwork, TunnelID, TunnelID)
    {
        let net = SimulatedNetwork(seed: seed)
        var lacParameters = TunnelParameters()
        lacParameters.useTieBreaker = lacTieBreaker
        var lnsParameters = TunnelParameters()
        lnsParameters.useTieBreaker = lnsTieBreaker
        let lacTunnel = try net.openTunnel(lacParameters, from: .lac)
        _ = try net.openSession(.lac, tunnel: lacTunnel, SessionParameters(callType: .lacIncoming))
        let lnsTunnel = try net.openTunnel(lnsParameters, from: .lns)
        net.run(for: .seconds(120))
        return (net, lacTunnel, lnsTunnel)
    }

    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func exactlyOneTunnelSurvivesAndTheSessionRidesOnIt(seed: UInt64) throws {
        let (net, lacTunnel, lnsTunnel) = try simultaneousOpen(seed: seed, lacTieBreaker: true, lnsTieBreaker: true)
        let lacUp = net.record(.lac).tunnelsUp
        let lnsUp = net.record(.lns).tunnelsUp
        #expect(lacUp.count == 1 && lnsUp.count == 1)
        // The loser discarded its own tunnel silently.
        let lacLost = net.record(.lac).tunnelsDown[lacTunnel]
        let lnsLost = net.record(.lns).tunnelsDown[lnsTunnel]
        #expect((lacLost == nil) != (lnsLost == nil))
        if case .lostTieBreaker(let replacement)? = lacLost {
            // The LAC lost: its waiting session moved to the LNS's tunnel.
            #expect(net.record(.lac).sessionMoves.count == 1)
            #expect(net.record(.lac).sessionMoves.first?.2 == replacement)
            #expect(replacement == lacUp.keys.first)
        } else {
            // The LNS lost: its replacement is the tunnel it answered for the LAC.
            #expect(lnsLost == .lostTieBreaker(replacement: lnsUp.keys.first))
            #expect(lacUp.keys.first == lacTunnel)
        }
        // The session came up over the surviving tunnel.
        #expect(net.record(.lac).sessionsUp.count == 1 && net.record(.lns).sessionsUp.count == 1)
        #expect(net.lac.tunnelIDs.count == 1 && net.lns.tunnelIDs.count == 1)
    }

    @Test func onlyTheLNSSendsATieBreakerSoItWins() throws {
        let (net, lacTunnel, _) = try simultaneousOpen(seed: 3, lacTieBreaker: false, lnsTieBreaker: true)
        #expect(net.record(.lac).tunnelsDown[lacTunnel] != nil)
        #expect(net.record(.lns).tunnelsDown.isEmpty)
        #expect(net.record(.lac).sessionsUp.count == 1)
    }

    @Test func withoutTieBreakersTwoTunnelsOpen() throws {
        let (net, _, _) = try simultaneousOpen(seed: 4, lacTieBreaker: false, lnsTieBreaker: false)
        #expect(net.record(.lac).tunnelsUp.count == 2 && net.record(.lns).tunnelsUp.count == 2)
        #expect(net.record(.lac).tunnelsDown.isEmpty && net.record(.lns).tunnelsDown.isEmpty)
    }

    @Test func aRetransmittedSCCRQDoesNotOpenASecondTunnel() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 9))
        var peer = ScriptedPeer(endpoint: endpoint)
        let sccrq = try ControlMessage(
            .sccrq, tunnelID: 0, avps: ScriptedPeer.sccrqAVPs(tunnelID: 77)
        ).encoded()
        let first = peer.deliver(sccrq).replies
        #expect(first.types == [.sccrp])
        let again = peer.deliver(sccrq).replies
        // Answered again with the SCCRP (it acknowledges the SCCRQ), no second tunnel.
        #expect(again.types == [.sccrp])
        #expect(endpoint.tunnelIDs.count == 1)
        // The same tunnel id from another port is another peer tunnel.
        let other = endpoint.answering(
            endpoint.receive(sccrq, from: .ipv4(198, 51, 100, 7, port: 40000), now: peer.now),
            with: AcceptAllPolicy(), now: peer.now)
        #expect(other.contains { if case .send = $0 { true } else { false } })
        #expect(endpoint.tunnelIDs.count == 2)
    }

    @Test func sccrpFromAnotherPortMovesThePeer() throws {
        let net = SimulatedNetwork(lnsPort: 1701)
        let endpoint = net.lac
        let (tunnel, actions) = try endpoint.openTunnel(
            TunnelParameters(), to: .ipv4(192, 0, 2, 2, port: 1701), now: net.now)
        #expect(actions.count == 1)
        // The LNS answers from an ephemeral port (RFC 2661 8.1).
        let sccrp = try ControlMessage(
            .sccrp, tunnelID: tunnel, ns: 0, nr: 1,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array("lns".utf8)), .framingCapabilities([.synchronous]),
                .assignedTunnelID(99),
            ]
        ).encoded()
        let moved = PeerAddress.ipv4(192, 0, 2, 2, port: 34567)
        let out = endpoint.receive(sccrp, from: moved, now: net.now)
        #expect(out.contains { if case .tunnelPeerMoved(tunnel, moved) = $0 { true } else { false } })
        #expect(out.contains { if case .send(_, moved, tunnel) = $0 { true } else { false } })
        #expect(endpoint.tunnel(tunnel)?.peer == moved && endpoint.tunnel(tunnel)?.phase == .established)
    }
}

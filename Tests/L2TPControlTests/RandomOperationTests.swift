import L2TPControl
import L2TPWire
import Testing

/// Random local operations from both sides, at random times, over a lossy
/// link: whatever the interleaving, the endpoints end clean.
@Suite struct RandomOperationTests {
    @Test func randomOperationsOverALossyLinkEndClean() throws {
        var problems: [String] = []
        var sessionsUp = 0
        var tunnelsUp = 0
        for seed in 1...60 as ClosedRange<UInt64> {
            var rng = SeededRandomNumberGenerator(seed: seed &* 104_729)
            let faults: SimulatedNetwork.Faults = seed % 2 == 0 ? .lossy : .none
            var tunnel = TunnelParameters()
            tunnel.useTieBreaker = seed % 3 == 0
            tunnel.maxRetries = 8
            let net = SimulatedNetwork(
                seed: seed, faults: faults, lacPolicy: AcceptAllPolicy(tunnel: tunnel),
                lnsPolicy: AcceptAllPolicy(tunnel: tunnel))
            for _ in 0..<80 {
                let side: SimulatedNetwork.Side = rng.next() % 2 == 0 ? .lac : .lns
                let endpoint = net.endpoint(side)
                let tunnels = endpoint.tunnelIDs
                let operation = rng.next() % 10
                switch tunnels.isEmpty ? (operation == 0 ? 0 : 9) : operation {
                case 0:
                    _ = try? net.openTunnel(tunnel, from: side)
                case 1:
                    let id = tunnels[Int(rng.next() % UInt64(tunnels.count))]
                    try? net.closeTunnel(side, tunnel: id)
                case 2, 3, 4, 5:
                    let id = tunnels[Int(rng.next() % UInt64(tunnels.count))]
                    let type: CallType = side == .lac ? .lacIncoming : .lnsOutgoing
                    _ = try? net.openSession(side, tunnel: id, SessionParameters(callType: type))
                case 6, 7:
                    let id = tunnels[Int(rng.next() % UInt64(tunnels.count))]
                    let sessions = endpoint.sessions(tunnel: id)
                    if !sessions.isEmpty {
                        let s = sessions[Int(rng.next() % UInt64(sessions.count))]
                        try? net.closeSession(side, tunnel: id, session: s.sessionID)
                    }
                default:
                    break
                }
                net.run(for: .milliseconds(rng.next() % 3000))
            }
            sessionsUp += net.record(.lac).sessionsUp.count + net.record(.lns).sessionsUp.count
            tunnelsUp += net.record(.lac).tunnelsUp.count + net.record(.lns).tunnelsUp.count
            net.perform(net.lac.closeAllTunnels(now: net.now), on: .lac)
            net.perform(net.lns.closeAllTunnels(now: net.now), on: .lns)
            net.run(for: .seconds(3600))
            for side in [SimulatedNetwork.Side.lac, .lns] {
                let record = net.record(side)
                let endpoint = net.endpoint(side)
                if !endpoint.tunnelIDs.isEmpty || endpoint.nextDeadline != nil {
                    problems.append("seed \(seed) \(side): state left behind \(endpoint.tunnelIDs)")
                }
                if !Set(record.sessionsUp.keys).isSubset(of: Set(record.sessionsDown.keys)) {
                    problems.append("seed \(seed) \(side): a session came up and was never reported down")
                }
                if Set(record.tunnelsDown.keys) != record.tunnelsFreed {
                    problems.append(
                        "seed \(seed) \(side): tunnels down \(record.tunnelsDown.count) freed \(record.tunnelsFreed.count)"
                    )
                }
            }
            // Sessions reported up on one side were up on the other too (same peer ids).
            for (key, info) in net.record(.lac).sessionsUp {
                let peerKey = SimulatedNetwork.SessionKey(tunnel: info.peerTunnelID, session: info.peerSessionID)
                if let other = net.record(.lns).sessionsUp[peerKey], other.peerSessionID != key.session {
                    problems.append("seed \(seed): crossed session ids")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        // The campaign did real work.
        #expect(sessionsUp > 500 && tunnelsUp > 100, "sessions \(sessionsUp) tunnels \(tunnelsUp)")
    }
}

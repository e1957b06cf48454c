import L2TPControl
import L2TPWire
import NIOCore

/// Two endpoints wired through an in-memory UDP link with a simulated clock.
/// The link can drop, duplicate and reorder datagrams from a seeded generator.
final class SimulatedNetwork {
    enum Side: Hashable { case lac, lns }

    struct Faults {
        var loss = 0.0
        var duplication = 0.0
        var reordering = 0.0
        static let none = Faults()
        static let lossy = Faults(loss: 0.20, duplication: 0.05, reordering: 0.10)
    }

    /// What one side reported, accumulated.
    struct Record {
        var tunnelsUp: [TunnelID: TunnelInfo] = [:]
        var tunnelsDown: [TunnelID: TunnelDownReason] = [:]
        var tunnelsFreed: Set<TunnelID> = []
        var sessionsUp: [SessionKey: SessionInfo] = [:]
        var sessionsDown: [SessionKey: SessionDownReason] = [:]
        var peerMoves: [(TunnelID, PeerAddress)] = []
        var sessionMoves: [(SessionID, TunnelID, TunnelID)] = []
        var linkInfos: [(TunnelID, SessionID, ACCM)] = []
        var wanErrors: [(TunnelID, SessionID, CallErrors)] = []
        var sent: [ByteBuffer] = []
    }

    struct SessionKey: Hashable {
        var tunnel: TunnelID
        var session: SessionID
    }

    private struct Datagram {
        var deliverAt: L2TPInstant
        var order: Int
        var to: Side
        var from: PeerAddress
        var bytes: ByteBuffer
    }

    let lac: L2TPEndpoint
    let lns: L2TPEndpoint
    let lacAddress: PeerAddress
    let lnsAddress: PeerAddress
    var now = L2TPInstant(nanoseconds: 1_000_000_000)
    var faults: Faults
    var latency = L2TPDuration.milliseconds(10)
    private var rng: SeededRandomNumberGenerator
    private var inFlight: [Datagram] = []
    private var order = 0
    private(set) var records: [Side: Record] = [.lac: Record(), .lns: Record()]
    /// Each side's admission decisions, given at once.
    private var policies: [Side: any L2TPEndpointPolicy] = [:]
    /// When set, datagrams from this side vanish (peer disappears).
    var blackhole: Side?

    init(
        seed: UInt64 = 1, faults: Faults = .none,
        lacPolicy: any L2TPEndpointPolicy = AcceptAllPolicy(),
        lnsPolicy: any L2TPEndpointPolicy = AcceptAllPolicy(),
        lnsPort: UInt16 = 1701
    ) {
        self.rng = SeededRandomNumberGenerator(seed: seed &* 7919)
        self.faults = faults
        self.lac = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: seed &* 31 &+ 1))
        self.lns = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: seed &* 31 &+ 2))
        self.policies = [.lac: lacPolicy, .lns: lnsPolicy]
        self.lacAddress = .ipv4(192, 0, 2, 1, port: 1701)
        self.lnsAddress = .ipv4(192, 0, 2, 2, port: lnsPort)
    }

    func endpoint(_ side: Side) -> L2TPEndpoint { side == .lac ? lac : lns }
    func record(_ side: Side) -> Record { records[side]! }
    func address(_ side: Side) -> PeerAddress { side == .lac ? lacAddress : lnsAddress }

    /// Performs the actions one side returned.
    func perform(_ actions: [L2TPAction], on side: Side) {
        let other: Side = side == .lac ? .lns : .lac
        for action in endpoint(side).answering(actions, with: policies[side]!, now: now) {
            switch action {
            case .send(let bytes, _, _):
                records[side]!.sent.append(bytes)
                if blackhole == side { continue }
                schedule(bytes, to: other, from: address(side))
            case .tunnelUp(let info): records[side]!.tunnelsUp[info.tunnelID] = info
            case .tunnelDown(let id, let reason): records[side]!.tunnelsDown[id] = reason
            case .tunnelFreed(let id): records[side]!.tunnelsFreed.insert(id)
            case .tunnelPeerMoved(let id, let peer): records[side]!.peerMoves.append((id, peer))
            case .sessionUp(let info):
                records[side]!.sessionsUp[SessionKey(tunnel: info.tunnelID, session: info.sessionID)] = info
            case .sessionDown(let t, let s, let reason):
                records[side]!.sessionsDown[SessionKey(tunnel: t, session: s)] = reason
            case .sessionMoved(let s, let from, let to): records[side]!.sessionMoves.append((s, from, to))
            case .setLinkInfo(let t, let s, let accm): records[side]!.linkInfos.append((t, s, accm))
            case .wanErrorNotify(let t, let s, let errors): records[side]!.wanErrors.append((t, s, errors))
            case .admitTunnel, .admitSession: break  // answered above
            }
        }
    }

    private func chance(_ p: Double) -> Bool {
        p > 0 && Double(rng.next() % 1_000_000) / 1_000_000 < p
    }

    private func schedule(_ bytes: ByteBuffer, to side: Side, from: PeerAddress) {
        if chance(faults.loss) { return }
        let copies = chance(faults.duplication) ? 2 : 1
        for _ in 0..<copies {
            var delay = latency
            if chance(faults.reordering) { delay = delay + .milliseconds(rng.next() % 300) }
            order += 1
            inFlight.append(Datagram(deliverAt: now + delay, order: order, to: side, from: from, bytes: bytes))
        }
    }

    var nextEventTime: L2TPInstant? {
        var candidates = inFlight.map(\.deliverAt)
        if let d = lac.nextDeadline { candidates.append(d) }
        if let d = lns.nextDeadline { candidates.append(d) }
        return candidates.min()
    }

    /// Advances the clock, delivering datagrams and firing timers, until
    /// nothing is pending or `limit` is reached.
    func run(for duration: L2TPDuration = .seconds(600)) {
        let limit = now + duration
        while let next = nextEventTime, next <= limit {
            now = max(now, next)
            step()
        }
        now = max(now, limit)
    }

    /// Runs until `condition` holds (checked after each step) or `limit`.
    @discardableResult
    func run(until condition: () -> Bool, within duration: L2TPDuration = .seconds(600)) -> Bool {
        let limit = now + duration
        while !condition() {
            guard let next = nextEventTime, next <= limit else { return condition() }
            now = max(now, next)
            step()
        }
        return true
    }

    private func step() {
        let due = inFlight.filter { $0.deliverAt <= now }.sorted { ($0.deliverAt, $0.order) < ($1.deliverAt, $1.order) }
        inFlight.removeAll { $0.deliverAt <= now }
        for datagram in due {
            perform(endpoint(datagram.to).receive(datagram.bytes, from: datagram.from, now: now), on: datagram.to)
        }
        for side in [Side.lac, .lns] {
            let endpoint = endpoint(side)
            if let deadline = endpoint.nextDeadline, deadline <= now {
                perform(endpoint.handleTimeout(now: now), on: side)
            }
        }
    }

    var inFlightCount: Int { inFlight.count }

    // MARK: - Conveniences

    /// Opens a tunnel from the LAC to the LNS and returns the LAC's id.
    func openTunnel(_ parameters: TunnelParameters = TunnelParameters(), from side: Side = .lac) throws -> TunnelID {
        let other: Side = side == .lac ? .lns : .lac
        let (id, actions) = try endpoint(side).openTunnel(parameters, to: address(other), now: now)
        perform(actions, on: side)
        return id
    }

    func openSession(_ side: Side, tunnel: TunnelID, _ parameters: SessionParameters) throws -> SessionID {
        let (id, actions) = try endpoint(side).openSession(tunnel: tunnel, parameters, now: now)
        perform(actions, on: side)
        return id
    }

    func closeSession(
        _ side: Side, tunnel: TunnelID, session: SessionID, result: ResultCode = ResultCode(.administrative)
    ) throws {
        perform(try endpoint(side).closeSession(tunnel: tunnel, session: session, result: result, now: now), on: side)
    }

    func closeTunnel(_ side: Side, tunnel: TunnelID, result: ResultCode = ResultCode(.generalRequest)) throws {
        perform(try endpoint(side).closeTunnel(tunnel, result: result, now: now), on: side)
    }

    /// The LNS's tunnel id for the LAC's tunnel (from the tunnel-up reports).
    func peerTunnel(of tunnel: TunnelID, on side: Side) -> TunnelID? {
        guard let info = record(side).tunnelsUp[tunnel] else { return nil }
        return info.peerTunnelID
    }
}

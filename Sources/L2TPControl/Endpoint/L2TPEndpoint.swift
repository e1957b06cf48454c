import L2TPWire
import NIOCore

/// The sans-IO control plane of one daemon: every control connection, their
/// sessions, id allocation, demultiplexing and tie breaking.
///
/// Feed it events (`receive`, `handleTimeout`, local requests) with the
/// current time; perform the returned actions in order; re-arm a timer at
/// `nextDeadline`. It never touches sockets or clocks. Not thread-safe: own
/// it from one event loop or actor.
public final class L2TPEndpoint {
    private let core: EndpointCore
    private var connections: [TunnelID: ControlConnection] = [:]
    /// SCCRQs we answered, by (peer address, peer's tunnel id), so that a
    /// retransmitted SCCRQ reaches the same tunnel instead of a new one.
    private var responderIndex: [ResponderKey: TunnelID] = [:]
    private var responderKeys: [TunnelID: ResponderKey] = [:]
    /// Tunnels in wait-ctl-reply, the candidates for a tie break.
    private var initiating: Set<TunnelID> = []
    private var nextCallSerial: UInt32
    /// Every tunnel's current deadline, and a heap over them (lazy deletion).
    private var scheduled: [TunnelID: L2TPInstant] = [:]
    private var deadlines = DeadlineHeap<TunnelID>()

    private struct ResponderKey: Hashable {
        var peer: PeerAddress
        var peerTunnelID: UInt16
    }

    /// Responder tunnels that never reached established, oldest first: the
    /// half-open table. A flood of SCCRQs from forged sources fills it and
    /// ages out its own oldest entries, never the established tunnels.
    private var halfOpen = HalfOpenTable()

    /// At most this many half-open tunnels are held; a new SCCRQ beyond it
    /// discards the oldest one silently (`.tunnelDown(_, .evicted)`).
    public var maxHalfOpenTunnels: Int {
        didSet { maxHalfOpenTunnels = max(1, maxHalfOpenTunnels) }
    }

    /// The secret to unhide AVPs in an SCCRQ from a peer, for peers that hide
    /// AVPs even there (RFC 2661 4.3 allows it): a key lookup by address,
    /// not an admission decision. Nil: such an SCCRQ cannot be read and is dropped.
    public var secretForHiddenSCCRQ: (@Sendable (PeerAddress) -> [UInt8]?)?

    /// The default size of the half-open table: enough for a burst of a few
    /// thousand legitimate peers reconnecting at once, small enough that a
    /// flood costs a few MB.
    public static let defaultMaxHalfOpenTunnels = 4096

    /// - Parameters:
    ///   - random: ids, challenges, random vectors, tie breakers. Pass
    ///     `SystemRandomNumberGenerator()` in production, a seeded one in tests.
    ///   - maxHalfOpenTunnels: the half-open table's size.
    public init(
        random: any RandomNumberGenerator = SystemRandomNumberGenerator(),
        maxHalfOpenTunnels: Int = L2TPEndpoint.defaultMaxHalfOpenTunnels
    ) {
        self.core = EndpointCore(random: random)
        self.maxHalfOpenTunnels = max(1, maxHalfOpenTunnels)
        self.nextCallSerial = UInt32(truncatingIfNeeded: core.randomUInt64()) | 1
    }

    // MARK: - Introspection

    public var statistics: ControlStatistics { core.statistics }

    /// Resets endpoint-wide counters (`system modify reset_statistics`).
    public func resetStatistics() { core.statistics = ControlStatistics() }

    /// All tunnels still held (including closing ones).
    public var tunnelIDs: [TunnelID] { connections.keys.sorted() }

    /// Responder tunnels that never reached established, held now.
    public var halfOpenTunnelCount: Int { halfOpen.count }

    /// The earliest time `handleTimeout` has work to do, over all tunnels.
    /// Nil when nothing is pending (no tunnels, or all idle without Hello).
    /// O(1) amortised: a heap of per-tunnel deadlines, refreshed after
    /// every event a tunnel handles.
    public var nextDeadline: L2TPInstant? {
        while let (deadline, id) = deadlines.first {
            if scheduled[id] == deadline { return deadline }
            deadlines.popFirst()  // stale: the tunnel moved its deadline or is gone
        }
        return nil
    }

    /// One tunnel's next deadline, for an I/O layer with a timer per tunnel.
    public func nextDeadline(tunnel: TunnelID) -> L2TPInstant? { connections[tunnel]?.nextDeadline }

    /// A snapshot of one tunnel for `tunnel show`.
    public func tunnel(_ id: TunnelID) -> TunnelSnapshot? {
        guard let c = connections[id] else { return nil }
        return TunnelSnapshot(
            tunnelID: id, peerTunnelID: c.peerTunnelID, peer: c.peer, phase: c.state.phase, isInitiator: c.isInitiator,
            peerHostName: c.peerInfo?.hostName, sessionCount: c.sessions.count, statistics: c.statistics,
            transport: TransportSnapshot(
                nextSendNs: c.transport.nextSendNs.rawValue, expectedNs: c.transport.expectedNs.rawValue,
                unacknowledged: c.transport.unacknowledgedCount, queued: c.transport.queuedCount,
                reordered: c.transport.reorderedCount, congestionWindow: c.transport.congestionWindow,
                slowStartThreshold: c.transport.slowStartThreshold, peerWindow: c.transport.peerWindow,
                retries: c.transport.retries))
    }

    /// The sessions of one tunnel.
    public func sessions(tunnel: TunnelID) -> [SessionSnapshot] {
        guard let c = connections[tunnel] else { return [] }
        return c.sessions.values.map {
            SessionSnapshot(
                sessionID: $0.id, peerSessionID: $0.peerSessionID, callType: $0.callType,
                isEstablished: $0.isEstablished)
        }.sorted { $0.sessionID < $1.sessionID }
    }

    // MARK: - Local requests

    /// Opens a tunnel to `peer` (SCCRQ). Returns the new tunnel id; actions
    /// include the SCCRQ to send.
    public func openTunnel(_ parameters: TunnelParameters, to peer: PeerAddress, now: L2TPInstant)
        throws(L2TPControlError) -> (TunnelID, [L2TPAction])
    {
        guard !parameters.hostName.isEmpty else { throw .invalidParameter("host_name", "must not be empty") }
        guard parameters.transport.receiveWindow > 0 else {
            throw .invalidParameter("rx_window_size", "must be at least 1")
        }
        if parameters.authMode == .challenge, (parameters.secret ?? []).isEmpty {
            throw .invalidParameter("auth_mode", "challenge needs a secret")
        }
        if parameters.hideAVPs, (parameters.secret ?? []).isEmpty {
            throw .invalidParameter("hide_avps", "hiding AVPs needs a secret (RFC 2661 4.3)")
        }
        guard let id = core.randomID(isTaken: { connections[$0] != nil }) else { throw .noFreeIdentifier("tunnel") }
        let connection = ControlConnection(
            id: id, peer: peer, parameters: parameters, isInitiator: true, core: core, now: now)
        add(connection)
        connection.start(now: now)
        initiating.insert(id)
        settle(connection)
        return (id, core.takeActions())
    }

    /// Closes a tunnel with StopCCN (RFC 2661 5.7); sessions go down with it.
    public func closeTunnel(
        _ id: TunnelID, result: ResultCode = ResultCode(.generalRequest), now: L2TPInstant
    ) throws(L2TPControlError) -> [L2TPAction] {
        guard let connection = connections[id] else { throw .unknownTunnel(id) }
        connection.close(result, now: now)
        connection.afterEvent(now: now)
        settle(connection)
        return core.takeActions()
    }

    /// Opens a session on a tunnel: `.lacIncoming` sends ICRQ, `.lnsOutgoing`
    /// sends OCRQ, once the tunnel is established.
    public func openSession(tunnel: TunnelID, _ parameters: SessionParameters, now: L2TPInstant)
        throws(L2TPControlError) -> (SessionID, [L2TPAction])
    {
        guard let connection = connections[tunnel] else { throw .unknownTunnel(tunnel) }
        let serial = nextCallSerial
        let sessionID = try connection.openSession(parameters, serial: serial, now: now)
        nextCallSerial &+= 1
        settle(connection)
        return (sessionID, core.takeActions())
    }

    /// Closes a session with CDN carrying `result` (RFC 2661 5.6).
    public func closeSession(
        tunnel: TunnelID, session: SessionID, result: ResultCode = ResultCode(.administrative), now: L2TPInstant
    ) throws(L2TPControlError) -> [L2TPAction] {
        guard let connection = connections[tunnel] else { throw .unknownTunnel(tunnel) }
        try connection.closeSession(session, result: result, now: now)
        settle(connection)
        return core.takeActions()
    }

    /// Closes every tunnel (daemon shutdown: StopCCN result 6 by default).
    public func closeAllTunnels(
        result: ResultCode = ResultCode(.shuttingDown), now: L2TPInstant
    ) -> [L2TPAction] {
        for connection in connections.values.sorted(by: { $0.id < $1.id }) {
            connection.close(result, now: now)
            connection.afterEvent(now: now)
            settle(connection)
        }
        return core.takeActions()
    }

    // MARK: - Admission decisions

    /// Answers an `.admitTunnel`: SCCRP (accept) or StopCCN (refuse). The
    /// decision may come at once or later (a plugin asking a RADIUS server);
    /// a tunnel that went away meanwhile (peer's StopCCN, establish timeout,
    /// evicted) throws `notWaitingForAdmission` or `unknownTunnel`.
    public func decideTunnel(_ id: TunnelID, _ decision: TunnelAdmission, now: L2TPInstant)
        throws(L2TPControlError) -> [L2TPAction]
    {
        guard let connection = connections[id] else { throw .unknownTunnel(id) }
        try connection.admissionDecided(decision, now: now)
        connection.afterEvent(now: now)
        settle(connection)
        return core.takeActions()
    }

    /// Answers an `.admitSession`: ICRP/OCRP (accept) or CDN (refuse).
    public func decideSession(
        tunnel: TunnelID, session: SessionID, _ decision: SessionAdmission, now: L2TPInstant
    ) throws(L2TPControlError) -> [L2TPAction] {
        guard let connection = connections[tunnel] else { throw .unknownTunnel(tunnel) }
        try connection.sessionAdmissionDecided(session, decision, now: now)
        settle(connection)
        return core.takeActions()
    }

    /// Tells the endpoint the kernel saw data traffic on a tunnel: RFC 2661
    /// 5.5 sends Hello only after silence on data *and* control, so the I/O
    /// layer may call this when the kernel's receive counters moved.
    public func noteDataTraffic(tunnel: TunnelID, now: L2TPInstant) {
        guard let connection = connections[tunnel] else { return }
        connection.lastReceived = max(connection.lastReceived, now)
        settle(connection)
    }

    /// Sends Set-Link-Info (RFC 2661 6.14, usually LNS to LAC) with the
    /// ACCM PPP negotiated, on an established session.
    public func setLinkInfo(tunnel: TunnelID, session: SessionID, accm: ACCM, now: L2TPInstant)
        throws(L2TPControlError) -> [L2TPAction]
    {
        try sendSessionReport(tunnel: tunnel, session: session, .sli, .accm(accm), now: now)
    }

    /// Sends WAN-Error-Notify (RFC 2661 6.13, LAC to LNS) with the call's error counters.
    public func wanErrorNotify(tunnel: TunnelID, session: SessionID, errors: CallErrors, now: L2TPInstant)
        throws(L2TPControlError) -> [L2TPAction]
    {
        try sendSessionReport(tunnel: tunnel, session: session, .wen, .callErrors(errors), now: now)
    }

    private func sendSessionReport(
        tunnel: TunnelID, session: SessionID, _ type: MessageType, _ avp: AVP, now: L2TPInstant
    ) throws(L2TPControlError) -> [L2TPAction] {
        guard let connection = connections[tunnel] else { throw .unknownTunnel(tunnel) }
        guard let target = connection.sessions[session], target.isEstablished else {
            throw .unknownSession(tunnel, session)
        }
        guard connection.send(type, sessionID: target.peerSessionID, [avp], now: now) else {
            throw .sendQueueFull(tunnel, limit: connection.transport.configuration.maxQueuedMessages)
        }
        connection.afterEvent(now: now)
        settle(connection)
        return core.takeActions()
    }

    // MARK: - Events

    /// A UDP datagram arrived from `source`.
    public func receive(_ bytes: ByteBuffer, from source: PeerAddress, now: L2TPInstant) -> [L2TPAction] {
        // Data messages belong to the kernel; anything not L2TPv2 is dropped (RFC 2661 8.1).
        guard let peek = L2TPHeader.peek(bytes), peek.isControl else {
            core.statistics.discarded += 1
            return []
        }
        if peek.tunnelID == 0 {
            receiveTunnelRequest(bytes, from: source, now: now)
        } else if let connection = connections[peek.tunnelID] {
            guard Self.acceptsSource(source, for: connection) else {
                core.statistics.foreignSourceDropped += 1
                return []
            }
            connection.notePeerReachable()
            deliver(bytes, to: connection, from: source, now: now)
        } else {
            core.statistics.discarded += 1
        }
        return core.takeActions()
    }

    /// RFC 2661 8.1: a tunnel's control messages come from its peer's address
    /// and port. Only an initiator waiting for SCCRP accepts another port of
    /// the same host (the responder may answer from a new port, which the
    /// tunnel then adopts); anything else from elsewhere is forged or stray
    /// (a StopCCN from another port must not tear an established tunnel down).
    private static func acceptsSource(_ source: PeerAddress, for connection: ControlConnection) -> Bool {
        if case .waitCtlReply = connection.state { return source.isSameHost(as: connection.peer) }
        return source == connection.peer
    }

    /// Runs every timer that is due.
    public func handleTimeout(now: L2TPInstant) -> [L2TPAction] {
        var due: [TunnelID] = []
        while let (deadline, id) = deadlines.first, deadline <= now {
            deadlines.popFirst()
            if scheduled[id] == deadline { due.append(id) }
        }
        for id in Set(due).sorted() {
            guard let connection = connections[id] else { continue }
            scheduled[id] = nil
            connection.handleTimeout(now: now)
            settle(connection)
        }
        return core.takeActions()
    }

    /// Runs one tunnel's timers.
    public func handleTimeout(tunnel: TunnelID, now: L2TPInstant) -> [L2TPAction] {
        if let connection = connections[tunnel] {
            connection.handleTimeout(now: now)
            settle(connection)
        }
        return core.takeActions()
    }

    // MARK: - Internals

    private func add(_ connection: ControlConnection) {
        connections[connection.id] = connection
        core.statistics.tunnelsCreated += 1
    }

    /// Makes room in the half-open table for `count` new entries by
    /// discarding its oldest members: silently, since their sources may be
    /// forged (a StopCCN would only add to the flood).
    private func evictHalfOpen(toAdmit count: Int, now: L2TPInstant) {
        while halfOpen.count + count > maxHalfOpenTunnels, let oldest = halfOpen.popOldest() {
            guard let connection = connections[oldest] else { continue }
            connection.discard(reason: .evicted)
            core.statistics.halfOpenEvicted += 1
            settle(connection)
        }
    }

    private func deliver(
        _ bytes: ByteBuffer, to connection: ControlConnection, from source: PeerAddress, now: L2TPInstant
    ) {
        do {
            let message = try ControlMessage.decode(bytes, secret: connection.parameters.secret)
            connection.receive(.message(message), ns: message.ns, nr: message.nr, from: source, now: now)
        } catch {
            // A malformed header is discarded (RFC 2661 7.1); a bad body still
            // takes its Ns slot and gets the RFC's answer in order.
            guard let header = error.header, let ns = header.ns, let nr = header.nr else {
                core.statistics.discarded += 1
                return
            }
            connection.receive(.malformed(error), ns: ns, nr: nr, from: source, now: now)
        }
        settle(connection)
    }

    /// Tunnel id 0: an SCCRQ (anything else cannot be routed and is dropped).
    private func receiveTunnelRequest(_ bytes: ByteBuffer, from source: PeerAddress, now: L2TPInstant) {
        let decoded: ControlMessage?
        do {
            decoded = try ControlMessage.decode(bytes)
        } catch {
            // Sane peers never hide AVPs in SCCRQ; for the others the caller
            // may know the secret from the source address.
            if error.code == .hiddenAVPWithoutSecret, let secret = secretForHiddenSCCRQ?(source) {
                decoded = try? ControlMessage.decode(bytes, secret: secret)
            } else {
                decoded = nil
            }
        }
        guard let message = decoded, let type = message.messageType, let peerTunnelID = message.assignedTunnelID else {
            core.statistics.discarded += 1
            if let type = decoded?.messageType { core.statistics[type].rxBad += 1 }
            return
        }
        guard type == .sccrq else {
            // A peer that closes before it learnt our tunnel id sends its
            // StopCCN to tunnel 0; its Assigned Tunnel ID still finds us.
            if let id = responderIndex[ResponderKey(peer: source, peerTunnelID: peerTunnelID)],
                let connection = connections[id]
            {
                deliver(bytes, to: connection, from: source, now: now)
            } else {
                core.statistics.discarded += 1
                core.statistics[type].rxBad += 1
            }
            return
        }
        let key = ResponderKey(peer: source, peerTunnelID: peerTunnelID)
        if let existing = responderIndex[key], let connection = connections[existing] {
            // A retransmitted SCCRQ: the transport acks it as a duplicate.
            deliver(bytes, to: connection, from: source, now: now)
            return
        }
        // RFC 2661 4.4.3 tie breaker against our own SCCRQs to this host.
        var losers: [ControlConnection] = []
        for id in initiating.sorted() {
            guard let ours = connections[id], ours.peer.isSameHost(as: source),
                case .waitCtlReply = ours.state
            else { continue }
            switch (ours.ourTieBreaker, message.tieBreaker) {
            case (nil, nil):
                continue  // neither asked for a single tunnel: two tunnels
            case (.some, nil):
                core.statistics[.sccrq].rxBad += 1
                return  // ours wins; the peer discards its tunnel
            case (nil, .some):
                losers.append(ours)
            case (.some(let a), .some(let b)):
                if a < b { return }  // lower value wins
                losers.append(ours)
                if a == b {
                    // Equal: both sides MUST discard their tunnels.
                    for loser in losers {
                        _ = loser.discardForTieBreak(replacement: nil)
                        settle(loser)
                    }
                    return
                }
            }
        }
        guard let id = core.randomID(isTaken: { connections[$0] != nil }) else {
            core.statistics.discarded += 1
            return
        }
        evictHalfOpen(toAdmit: 1, now: now)
        let connection = ControlConnection(
            id: id, peer: source, parameters: TunnelParameters(), isInitiator: false, core: core, now: now,
            expectedNs: SequenceNumber(message.ns))
        add(connection)
        halfOpen.append(id)
        responderIndex[key] = id
        responderKeys[id] = key
        for loser in losers {
            let waiting = loser.discardForTieBreak(replacement: id)
            for session in waiting {
                connection.adopt(session)
                core.emit(.sessionMoved(session.id, from: loser.id, to: id))
            }
            settle(loser)
        }
        connection.receive(.message(message), ns: message.ns, nr: message.nr, from: source, now: now)
        settle(connection)
    }

    /// Bookkeeping after a connection handled an event.
    private func settle(_ connection: ControlConnection) {
        if case .waitCtlReply = connection.state {} else { initiating.remove(connection.id) }
        if !connection.isHalfOpen { halfOpen.remove(connection.id) }
        let deadline = connection.isFreed ? nil : connection.nextDeadline
        if scheduled[connection.id] != deadline {
            scheduled[connection.id] = deadline
            if let deadline { deadlines.push(deadline, connection.id) }
            // Busy tunnels move their deadlines often; rebuild before stale
            // entries outnumber live ones by much.
            if deadlines.count > 4 * scheduled.count + 64 {
                deadlines.removeAll()
                for (id, deadline) in scheduled { deadlines.push(deadline, id) }
            }
        }
        guard connection.isFreed else { return }
        connections[connection.id] = nil
        initiating.remove(connection.id)
        if let key = responderKeys.removeValue(forKey: connection.id) {
            responderIndex[key] = nil
        }
    }
}

/// Transport state of a tunnel, for `tunnel show`.
public struct TransportSnapshot: Hashable, Sendable {
    public var nextSendNs: UInt16
    public var expectedNs: UInt16
    public var unacknowledged: Int
    public var queued: Int
    public var reordered: Int
    public var congestionWindow: Int
    public var slowStartThreshold: Int
    public var peerWindow: Int
    public var retries: Int
}

/// A tunnel as `tunnel show` presents it.
public struct TunnelSnapshot: Hashable, Sendable {
    public var tunnelID: TunnelID
    public var peerTunnelID: UInt16
    public var peer: PeerAddress
    public var phase: TunnelPhase
    public var isInitiator: Bool
    public var peerHostName: String?
    public var sessionCount: Int
    public var statistics: TunnelStatistics
    public var transport: TransportSnapshot
}

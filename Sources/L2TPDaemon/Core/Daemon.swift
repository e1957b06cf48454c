import L2TPConfig
import L2TPDataPath
import L2TPWire
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The daemon's state and the one code path through which the config file,
/// management commands (RPC, later) and network events change it.
///
/// Confined to the event loop: every method is called from it (the runtime
/// guarantees this), so there is no locking. The control state machines live
/// in the `ControlEngine`; the daemon keeps the operator's view (names,
/// profiles, limits, persistence, counters) and carries out the engine's
/// outputs through `DaemonIO`.
public final class Daemon {
    public let logger: Logger
    public private(set) var options: DaemonOptions
    /// Profiles and system settings; replaced wholesale on SIGHUP.
    public internal(set) var resolver: SettingsResolver {
        // `max_half_open_tunnels` lives in the engine's half-open table.
        didSet { engine?.maxHalfOpenTunnels = resolver.system.maxHalfOpenTunnels }
    }
    public internal(set) var tunnels = TunnelTable()
    public internal(set) var counters = DaemonCounters()
    /// Locally created persistent tunnels, by key (name, else destination and config id).
    var persistentTunnels: [String: PersistentTunnel] = [:]
    /// Tunnels a peer asked for that are not established yet (half-open):
    /// they do not count against `max_tunnels` (Daemon+Admission).
    var halfOpenTunnels: Set<UInt16> { tunnels.halfOpen }
    /// Refusals and drops, logged as rate-limited summaries.
    var refusals = RefusalSummary()
    /// Trace lines per flag per second, with a summary of the rest.
    var traceLimit = TraceRateLimit()
    /// The engine's drop counters as last summarised.
    var reportedDrops = ControlDrops()
    /// Datagrams held back while the start-up configuration is applied
    /// (`loadConfiguration`); nil when they go out at once.
    var heldDatagrams: [(ByteBuffer, IPv4SocketAddress, UInt16)]?
    /// The most tunnel records held since memory was last returned.
    var tunnelHighWater = 0
    /// `session create` arguments for local tunnels not yet up, by tunnel id.
    var queuedSessions: [UInt16: [ParsedCommand]] = [:]
    /// Set by SIGTERM: refuse everything new, close what exists.
    public internal(set) var isShuttingDown = false
    /// Kernel data counters last seen per tunnel, and when to look again.
    var dataReceived: [UInt16: UInt64] = [:]
    var nextDataPoll: UInt64?
    /// How often the kernel's counters are read (a fraction of the 60 s Hello).
    static let dataPollInterval: UInt64 = 10_000_000_000
    /// Tunnels without sessions that close at this time (`idle_timeout`).
    var idleDeadlines: [UInt16: UInt64] = [:]
    /// Nesting of `perform`; the plan runs when the outermost batch ends.
    var performDepth = 0
    /// What the current batch leaves to do (teardown, then follow-ups).
    var plan = BatchPlan()
    /// The plan of the last batch that had one, as it was before it ran (for tests).
    public internal(set) var lastPlan = BatchPlan()
    var isCarryingOutPlan = false
    /// SIGUSR1 state.
    var debugToggled = false

    public var engine: ControlEngine!
    /// Data packets of established sessions (null until the kernel path lands).
    public var dataPath: SessionDataPath = DataPlaneSessionDataPath(NullDataPlane(), name: "null")
    public weak var io: DaemonIO?
    /// Loaded `-p` plugins (Plugins/DaemonPlugins.swift); nil when none.
    public var plugins: DaemonPlugins?
    /// Monotonic nanoseconds.
    let clock: () -> UInt64
    /// The listener's local address (incoming tunnels answer from its port).
    public var listenAddress: IPv4SocketAddress

    public init(
        options: DaemonOptions, logger: Logger, listenAddress: IPv4SocketAddress,
        clock: @escaping () -> UInt64
    ) {
        self.options = options
        self.logger = logger
        self.listenAddress = listenAddress
        self.clock = clock
        self.resolver = SettingsResolver(
            model: Self.initialModel(options), traceDefaultProfiles: options.traceDefaultProfiles)
    }

    /// Built-in defaults plus `-d`: what the daemon starts from and what
    /// SIGHUP resets to.
    static func initialModel(_ options: DaemonOptions) -> ConfigModel {
        var model = ConfigModel()
        if options.traceFlags != .none {
            _ = try? model.apply(
                ParsedCommand(path: .systemModify, arguments: [.traceFlags: .traceFlags(options.traceFlags)]))
        }
        return model
    }

    public var system: SystemSettings { resolver.system }
    public var profiles: ProfileStore { resolver.profiles }
    /// System trace flags in effect (SIGUSR1 turns them all on).
    public var systemTraceFlags: TraceFlags { debugToggled ? .all : system.traceFlags }

    /// Sessions in every tunnel, whatever their state.
    public var sessionCount: Int { tunnels.sessionCount }

    // MARK: - Network events

    /// A datagram arrived on the listener or a tunnel socket.
    public func receive(_ datagram: ByteBuffer, from peer: IPv4SocketAddress, onTunnel tunnelID: UInt16?) {
        if let tunnelID, var record = tunnels[tunnelID] {
            record.counters.rxPackets += 1
            record.counters.rxBytes += UInt64(datagram.readableBytes)
            tunnels[tunnelID] = record
        }
        trace(.function, tunnel: tunnelID, "receive: \(datagram.readableBytes) bytes from \(peer)")
        traceControlMessage(datagram, inbound: true, peer: peer, tunnel: tunnelID)
        let outputs = engine.receive(datagram, from: peer, now: clock())
        perform(outputs)
    }

    /// Timers: the engine's (retransmit, hello, ack) and ours (persistence).
    public func handleTimers() {
        trace(.function, "handleTimers")
        let now = clock()
        perform(engine.handleTimeout(now: now))
        retryPersistentTunnels(now: now)
        restoreHeldSessions(now: now)
        closeIdleTunnels(now: now)
        pollDataTraffic(now: now)
        expirePluginDecisions(now: now)
        flushRefusalSummary(now: now)
        for line in traceLimit.flush(now: now) { logger.info("\(line)") }
        returnMemoryIfShrunk()
        rescheduleWakeup()
    }

    public var nextWakeup: UInt64? {
        if dataPath.carriesData, !tunnels.isEmpty, nextDataPoll == nil {
            nextDataPoll = clock() + Self.dataPollInterval
        }
        let dataPoll = dataPath.carriesData && !tunnels.isEmpty ? nextDataPoll.map { [$0] } ?? [] : []
        let persist =
            (persistentTunnels.values.compactMap(\.retryAt) + persistentTunnels.values.compactMap(\.sessionRestoreAt)
            + idleDeadlines.values + dataPoll
            + [refusals.nextDeadline, traceLimit.nextDeadline, plugins?.host.nextPendingDeadline].compactMap { $0 })
            .min()
        switch (engine.nextDeadline, persist) {
        case (nil, nil): return nil
        case (let a?, nil): return a
        case (nil, let b?): return b
        case (let a?, let b?): return min(a, b)
        }
    }

    func rescheduleWakeup() { io?.scheduleWakeup(at: nextWakeup) }

    /// Queues a teardown step for the end of the batch (at once outside one).
    func schedule(_ step: BatchPlan.Teardown) {
        if performDepth > 0 { plan.teardown.append(step) } else { carryOut(step) }
    }

    /// Queues a follow-up for the end of the batch (at once outside one).
    func schedule(_ step: BatchPlan.FollowUp) {
        if performDepth > 0 { plan.followUps.append(step) } else { carryOut(step) }
    }

    // MARK: - Engine outputs

    func perform(_ outputs: [EngineOutput]) {
        performDepth += 1
        for output in outputs {
            switch output {
            case .send(let datagram, let peer, let tunnelID):
                send(datagram, to: peer, tunnelID: tunnelID)
            case .event(let event):
                handle(event)
            }
        }
        performDepth -= 1
        if performDepth == 0, !plan.isEmpty, !isCarryingOutPlan {
            lastPlan = plan
            isCarryingOutPlan = true
            // Each step runs outside any batch: what an engine call in it
            // plans joins the queue (its teardown ahead of the follow-ups).
            while let step = plan.next() {
                switch step {
                case .teardown(let teardown): carryOut(teardown)
                case .followUp(let followUp): carryOut(followUp)
                }
            }
            isCarryingOutPlan = false
        }
        rescheduleWakeup()
    }

    func carryOut(_ step: BatchPlan.Teardown) {
        switch step {
        case .tunnelDown(let id):
            // Hook: tunnel down.
            pluginsTunnelDown(id)
            // The kernel tunnel goes with every session still in it.
            dataPath.tunnelDown(tunnelID: id)
        case .tunnelFreed(let id):
            // Hook: UDP socket disconnected (before the fd is closed).
            pluginsSocketDisconnected(id)
            io?.closeTunnelSocket(tunnelID: id)
            // Hook: tunnel deleted.
            pluginsTunnelDeleted(id)
        case .sessionDown(let tid, let sid, let hadRecord):
            // Hooks: session down, session deleted (before the PPPoL2TP socket closes).
            pluginsSessionDown(tunnelID: tid, sessionID: sid)
            trace(.ppp, tunnel: tid, session: sid, "PPP link closed: session down")
            // A closing tunnel's data-path teardown removes its sessions
            // all at once (one TUNNEL_DELETE, not one SESSION_DELETE each).
            if hadRecord, tunnels[tid]?.state != .closing {
                dataPath.sessionDown(tunnelID: tid, sessionID: sid)
            }
        }
    }

    func carryOut(_ step: BatchPlan.FollowUp) {
        let now = clock()
        switch step {
        case .decideTunnel(let id, let decision):
            guard tunnels[id] != nil else { return }
            perform(engine.decideTunnel(id, decision, now: now))
        case .decideSession(let sid, let tid, let decision):
            perform(engine.decideSession(sid, in: tid, decision, now: now))
        case .closeTunnel(let id, let refusal):
            perform(engine.closeTunnel(id, refusal: refusal, now: now))
        case .closeSession(let sid, let tid, let refusal?):
            perform(engine.closeSession(sid, in: tid, refusal: refusal, now: now))
        case .closeSession(let sid, let tid, nil):
            perform(engine.closeSession(sid, in: tid, now: now))
        case .tunnelEstablished(let id):
            guard let record = tunnels[id], record.state == .established else { return }
            restorePersistentSessions(for: record)
            updateIdleDeadline(id)
        }
    }

    private func send(_ datagram: ByteBuffer, to peer: IPv4SocketAddress, tunnelID: UInt16) {
        if var record = tunnels[tunnelID] {
            record.counters.txPackets += 1
            record.counters.txBytes += UInt64(datagram.readableBytes)
            tunnels[tunnelID] = record
        }
        traceControlMessage(datagram, inbound: false, peer: peer, tunnel: tunnelID)
        if heldDatagrams != nil {
            heldDatagrams?.append((datagram, peer, tunnelID))
            return
        }
        io?.send(datagram, to: peer, tunnelID: tunnelID)
    }

    func handle(_ event: ControlEvent) {
        traceHandlerEntry(event)
        switch event {
        case .tunnelRequested(let request):
            tunnelRequested(request)

        case .sessionRequested(let request):
            sessionRequested(request)

        case .tunnelUp(let id, let peerTunnelID, let peer, let hostName):
            guard var record = tunnels[id] else { return }
            tunnels.markNotHalfOpen(id)
            record.peerTunnelID = peerTunnelID
            record.peerHostName = hostName
            record.peer = peer
            tunnels[id] = record
            // Nothing is reported up that does not work: a tunnel without its
            // socket or kernel tunnel is closed with a result that says why.
            if let refusal = tunnelUpProblem(record) {
                logger.warning(
                    "tunnel \(id)\(label(record)) from \(peer) closed as it came up: \(refusal.reason); StopCCN result code \(refusal.resultCode)\(refusal.errorCode.map { " error \($0)" } ?? "")"
                )
                schedule(.closeTunnel(id, refusal))
                return
            }
            record.state = .established
            tunnels[id] = record
            logger.notice(
                "tunnel \(id)\(label(record)) up: peer \(peer) host '\(escaped: hostName)' peer tunnel \(peerTunnelID)")
            // Hook: UDP socket connected (ipsec plugin).
            pluginsSocketConnected(id, peer: peer)
            // Hook: tunnel up (after the socket is connected and the kernel tunnel exists).
            pluginsTunnelUp(id)
            schedule(.tunnelEstablished(id))

        case .tunnelPeerMoved(let id, let peer):
            guard var record = tunnels[id] else { return }
            record.peer = peer
            tunnels[id] = record
            trace(.transport, tunnel: id, "peer moved to \(peer), reconnecting the tunnel socket")
            io?.connectTunnelSocket(tunnelID: id, to: peer)
            if record.state == .established { pluginsSocketConnected(id, peer: peer) }

        case .tunnelDown(let id, let reason, let byPeer):
            guard var record = tunnels[id] else { return }
            let wasUp = record.state == .established || record.createdLocally
            record.state = .closing
            for sid in record.sessions.keys { record.sessions[sid]?.state = .down }
            tunnels[id] = record
            // The reason holds the peer's Result Code message (StopCCN).
            let line = "tunnel \(id)\(label(record)) down: \(escaped: reason)\(byPeer ? " (StopCCN from peer)" : "")"
            if wasUp {
                logger.notice("\(line)")
            } else {
                // Half-open: refused (already logged or summarised), timed
                // out or evicted; one line each would let a flood fill the log.
                trace(.fsm, tunnel: id, line)
            }
            schedule(.tunnelDown(id))
            tunnelWentDown(record)

        case .tunnelFreed(let id):
            tunnelHighWater = max(tunnelHighWater, tunnels.count)
            if let record = tunnels.removeValue(forKey: id) {
                trace(.fsm, tunnel: id, "tunnel \(id)\(label(record)) deleted")
                if record.state != .closing { tunnelWentDown(record) }
            }
            queuedSessions[id] = nil
            idleDeadlines[id] = nil
            schedule(.tunnelFreed(id))

        case .sessionUp(let tid, let sid, let peerSID, let sequencingRequired):
            guard tunnels[tid] != nil else { return }
            if tunnels[tid]!.sessions[sid] == nil {
                // Not through admission: a session moved here by a tie break.
                let settings = SessionSettings()
                var created = SessionRecord(
                    sessionID: sid, tunnelID: tid, settings: settings,
                    createdLocally: false, createdAt: wallClock())
                created.peerSessionID = peerSID
                tunnels[tid]!.sessions[sid] = created
                counters.sessionsCreated += 1
            }
            tunnels[tid]!.sessions[sid]!.state = .established
            idleDeadlines[tid] = nil
            tunnels[tid]!.sessions[sid]!.peerSessionID = peerSID
            if sequencingRequired {
                // RFC 2661 4.4.6: the peer (or we) asked for sequenced data, so
                // the kernel session and pppd number and expect numbers, even
                // where our own profile did not ask (else the LAC drops every
                // unnumbered packet of ours: no PPP at all).
                tunnels[tid]!.sessions[sid]!.settings.useSequenceNumbers = true
                tunnels[tid]!.sessions[sid]!.settings.sequencingRequired = true
            }
            // Hook: session up (kernel session, then PPP spawn by the ppp plugin).
            do {
                let tunnel = tunnels[tid]!
                try dataPath.sessionUp(
                    tunnelID: tid, peerTunnelID: tunnel.peerTunnelID, sessionID: sid, peerSessionID: peerSID,
                    isLNS: !tunnel.createdLocally, settings: tunnel.sessions[sid]!.settings)
            } catch {
                // No session is reported up without its data path: CDN.
                let refusal = Refusal(
                    resultCode: 2, errorCode: 4,
                    reason: "\(dataPath.name) data path: could not create the session (\(error))")
                logger.warning(
                    "session \(sid) in tunnel \(tid) closed as it came up: \(refusal.reason); CDN result code 2 error 4"
                )
                tunnels[tid]!.sessions[sid]!.state = .down
                schedule(.closeSession(sid, tunnelID: tid, refusal))
                return
            }
            logger.notice("session \(sid) in tunnel \(tid) up: peer session \(peerSID)")
            trace(
                .ppp, tunnel: tid, session: sid,
                "PPP link ready (\(dataPath.name) data path): waiting for PPP to come up")
            pluginsSessionUp(tunnelID: tid, sessionID: sid)

        case .sessionDown(let tid, let sid, let reason):
            schedule(.sessionDown(tunnelID: tid, sessionID: sid, hadRecord: tunnels[tid]?.sessions[sid] != nil))
            if let removed = tunnels[tid]?.sessions.removeValue(forKey: sid) {
                sessionWentDown(removed, tunnelID: tid)
                if removed.state == .established || removed.createdLocally {
                    // The reason holds the peer's Result Code message (CDN).
                    logger.notice("session \(sid) in tunnel \(tid) down: \(escaped: reason)")
                } else {
                    // Refused at admission (already logged or summarised) or never connected.
                    trace(.fsm, tunnel: tid, session: sid, "session \(sid) in tunnel \(tid) down: \(escaped: reason)")
                }
                updateIdleDeadline(tid)
            }

        case .peerSetLinkInfo(let tid, let sid, let send, let receive):
            peerSetLinkInfo(tunnelID: tid, sessionID: sid, accm: PeerACCM(sendACCM: send, receiveACCM: receive))

        case .trace(let tid, let flag, let message):
            trace(TraceFlags(rawValue: flag), tunnel: tid, "\(escaped: message)")
        }
    }

    /// Gives a tunnel a peer created its own socket, bound to the listener's
    /// port (or `our_udp_port`) and connected to the peer, so that replies
    /// leave from the port the peer talked to and the kernel tunnel has a
    /// socket of its own. Done once the tunnel is established: until then
    /// it is half-open and answers from the listener, so a flood of forged
    /// SCCRQs costs no descriptors.
    func openResponderSocket(_ id: UInt16, peer: IPv4SocketAddress, settings: TunnelSettings) throws(DaemonError)
        -> IPv4SocketAddress
    {
        let port = settings.ourUDPPort.map(UInt16.init) ?? listenAddress.port
        let local = IPv4SocketAddress(address: settings.source?.value ?? listenAddress.address, port: port)
        guard let io else { throw .resource("no I/O edge to open the tunnel's socket") }
        let socket: UDPSocket
        do {
            socket = try io.bindTunnelSocket(local)
        } catch {
            throw .resource("could not open the tunnel's socket on \(local) (\(error))")
        }
        do {
            try io.attachTunnelSocket(socket, tunnelID: id, connectTo: peer)
        } catch {
            io.discardSocket(socket)
            throw .resource("could not connect the tunnel's socket to \(peer) (\(error))")
        }
        return io.visibleAddress(socket.localAddress, toward: peer)
    }

    /// Why a tunnel that just reached established must be closed instead:
    /// `max_tunnels` counted without half-open tunnels (a burst of SCCRQs can
    /// complete more than the limit), its socket or its kernel tunnel.
    func tunnelUpProblem(_ record: TunnelRecord) -> Refusal? {
        let id = record.tunnelID
        if !record.createdLocally {
            if let refusal = tunnelLimit(remote: true, excluding: id) { return refusal }
            if io != nil, io?.socketDescriptor(tunnelID: id) == nil {
                do {
                    tunnels[id]?.local = try openResponderSocket(id, peer: record.peer, settings: record.settings)
                } catch {
                    return Refusal(resultCode: 2, errorCode: 4, reason: error.message)
                }
            }
        } else {
            io?.connectTunnelSocket(tunnelID: id, to: record.peer)
        }
        do {
            try dataPath.tunnelUp(
                tunnelID: id, peerTunnelID: record.peerTunnelID, socket: io?.socketDescriptor(tunnelID: id),
                settings: record.settings)
        } catch {
            return Refusal(
                resultCode: 2, errorCode: 4,
                reason: "\(dataPath.name) data path: could not create the tunnel (\(error))")
        }
        return nil
    }

    // MARK: - Memory

    /// After a flood (or a mass disconnect) the tables are a fraction of
    /// their peak: shrink the tunnel table's storage (a Swift dictionary
    /// keeps its capacity) and return the freed heap to the system.
    func returnMemoryIfShrunk() {
        tunnelHighWater = max(tunnelHighWater, tunnels.count)
        guard tunnelHighWater >= 256, tunnels.count * 2 <= tunnelHighWater else { return }
        tunnels.compact()
        trace(.system, "tunnel table shrank from \(tunnelHighWater) to \(tunnels.count): returning freed memory")
        tunnelHighWater = tunnels.count
        io?.returnFreedMemory()
    }

    // MARK: - Data traffic

    /// Reads the kernel's per tunnel receive counters; tunnels whose data
    /// moved postpone their Hello (L2TPEndpoint.noteDataTraffic).
    func pollDataTraffic(now: UInt64) {
        guard dataPath.carriesData else { return }
        if nextDataPoll == nil { nextDataPoll = now + Self.dataPollInterval }
        guard let due = nextDataPoll, due <= now else { return }
        nextDataPoll = now + Self.dataPollInterval
        for (id, record) in tunnels where record.state == .established {
            guard let received = dataPath.receivedPackets(tunnelID: id) else { continue }
            if received > dataReceived[id] ?? 0 { engine.noteDataTraffic(tunnel: id, now: now) }
            dataReceived[id] = received
        }
        dataReceived = dataReceived.filter { tunnels[$0.key] != nil }
    }

    // MARK: - Idle tunnels

    /// `idle_timeout`: an established tunnel without sessions is closed
    /// this long after its last session went (or after it came up empty).
    func updateIdleDeadline(_ id: UInt16) {
        guard let record = tunnels[id], record.state == .established, record.settings.idleTimeout > 0,
            record.sessions.isEmpty, (queuedSessions[id] ?? []).isEmpty
        else {
            idleDeadlines[id] = nil
            return
        }
        idleDeadlines[id] = clock() + UInt64(record.settings.idleTimeout) * 1_000_000_000
    }

    func closeIdleTunnels(now: UInt64) {
        for (id, deadline) in idleDeadlines where deadline <= now {
            idleDeadlines[id] = nil
            guard let record = tunnels[id], record.sessions.isEmpty else { continue }
            logger.notice(
                "tunnel \(id)\(label(record)): no sessions for idle_timeout (\(record.settings.idleTimeout)s), closing")
            perform(engine.closeTunnel(id, now: now))
        }
    }

    // MARK: - Tracing and logging

    /// Logs `message` if `flag` is set on the system, the tunnel or the
    /// session, and the flag has not used up its lines for this second
    /// (`TraceRateLimit`: a flood must not turn tracing into a log flood).
    /// Peer strings in `message` are the caller's to escape.
    public func trace(
        _ flag: TraceFlags, tunnel tunnelID: UInt16? = nil, session sessionID: UInt16? = nil,
        _ message: @autoclosure () -> String
    ) {
        guard isTraced(flag, tunnel: tunnelID, session: sessionID) else { return }
        let name = TraceFlags.names.first { flag.contains($0.flag) }?.name ?? "TRACE"
        let (summary, allowed) = traceLimit.admit(name, now: clock())
        if let summary { logger.info("\(summary)") }
        guard allowed else { return }
        let scope = tunnelID.map { " tunnel \($0)" + (sessionID.map { "/\($0)" } ?? "") } ?? ""
        logger.info("[\(name)]\(scope) \(message())")
    }

    public func isTraced(_ flag: TraceFlags, tunnel tunnelID: UInt16?, session sessionID: UInt16?) -> Bool {
        var flags = systemTraceFlags
        if let tunnelID, let record = tunnels[tunnelID] {
            flags.formUnion(record.settings.traceFlags)
            if let sessionID, let session = record.sessions[sessionID] { flags.formUnion(session.settings.traceFlags) }
        }
        return !flags.intersection(flag).isEmpty
    }

    /// SIGUSR1: all trace flags on, or back to what they were.
    public func toggleDebug() {
        debugToggled.toggle()
        if debugToggled {
            logger.notice("debug on (SIGUSR1): all system trace flags")
        } else {
            logger.notice("debug off (SIGUSR1): system trace flags \(system.traceFlags)")
        }
    }

    func label(_ record: TunnelRecord) -> String { record.name.map { " (\($0))" } ?? "" }

    /// Seconds since the epoch (creation times), from the I/O edge.
    func wallClock() -> Int { io?.wallClock() ?? 0 }
}

import L2TPConfig

/// Admission: every SCCRQ, ICRQ and OCRQ becomes a record in the tunnel
/// table the moment the engine reports it, and waits there for a decision
/// (the daemon's limits, profiles, `auth_mode=simple`, then the plugins).
/// Every limit counts every record, whatever its state, so a burst of
/// requests is counted in full. Each refusal carries the RFC 2661 result
/// code that goes on the wire and a reason naming the limit; refusals are
/// logged through `RefusalSummary`, so a flood writes summaries.
extension Daemon {
    // MARK: - Requests from the engine

    /// `.tunnelRequested`: a half-open record now; the daemon's policy
    /// decides at once, the plugins at once or later (`pluginDecided`); the
    /// answer goes to the engine after the batch.
    func tunnelRequested(_ request: TunnelRequest) {
        let id = request.tunnelID
        var record = TunnelRecord(
            tunnelID: id, settings: TunnelSettings(), peer: request.peer, createdLocally: false,
            createdAt: wallClock())
        record.peerTunnelID = request.peerTunnelID
        record.peerHostName = request.peerHostName
        record.state = .waitingAdmission
        tunnels[id] = record
        tunnels.markHalfOpen(id)
        trace(
            .fsm, tunnel: id,
            "SCCRQ from \(request.peer) host '\(escaped: request.peerHostName)': waiting for admission")
        switch admitTunnel(request) {
        case .refuse(let refusal):
            finishTunnelAdmission(request, .refuse(refusal))
        case .accept(let settings):
            tunnels[id]?.settings = settings
            // Hook: tunnel created + authorize (plugins may refuse: StopCCN; or answer later).
            switch pluginsAdmitTunnel(request, settings: settings) {
            case .accept: finishTunnelAdmission(request, .accept(settings))
            case .refuse(let refusal): finishTunnelAdmission(request, .refuse(refusal))
            case .pending: trace(.fsm, tunnel: id, "waiting for a plugin to authorize the tunnel")
            }
        }
    }

    /// The tunnel's admission is decided: counted, logged when refused, and
    /// answered (SCCRP or StopCCN) once the current batch is done.
    func finishTunnelAdmission(_ request: TunnelRequest, _ decision: Admission<TunnelSettings>) {
        var decision = decision
        if case .accept(let settings) = decision, needsOwnSocketAtOnce(settings) {
            // The SCCRP must leave from the profile's port or address, which
            // the listener does not have: this tunnel gets its socket now.
            do {
                tunnels[request.tunnelID]?.local = try openResponderSocket(
                    request.tunnelID, peer: request.peer, settings: settings)
            } catch {
                pluginsForgetRefusedTunnel(request.tunnelID)
                decision = .refuse(Refusal(resultCode: 2, errorCode: 4, reason: error.message))
            }
        }
        switch decision {
        case .accept:
            counters.tunnelsCreated += 1
            tunnels[request.tunnelID]?.state = .opening
        case .refuse(let refusal):
            logTunnelRefusal(request, refusal)
        }
        schedule(.decideTunnel(request.tunnelID, decision))
    }

    /// A tunnel profile with `our_udp_port` or `src_ipaddr` other than the
    /// listener's: its replies cannot come from the listener.
    func needsOwnSocketAtOnce(_ settings: TunnelSettings) -> Bool {
        if let port = settings.ourUDPPort, UInt16(port) != listenAddress.port { return true }
        if let source = settings.source?.value, source != listenAddress.address { return true }
        return false
    }

    /// `.sessionRequested`: the session is a record (counted by every limit)
    /// from now until its CDN; decided like a tunnel.
    func sessionRequested(_ request: SessionRequest) {
        let tid = request.tunnelID
        let sid = request.sessionID
        let decision = admitSession(request)
        guard let tunnel = tunnels[tid] else {
            schedule(.decideSession(sid, tunnelID: tid, decision))
            return
        }
        var record = SessionRecord(
            sessionID: sid, tunnelID: tid, settings: SessionSettings(), createdLocally: false,
            createdAt: wallClock())
        record.peerSessionID = request.peerSessionID
        record.state = .waitingAdmission
        tunnels[tid]?.sessions[sid] = record
        idleDeadlines[tid] = nil
        switch decision {
        case .refuse(let refusal):
            finishSessionAdmission(request, .refuse(refusal))
        case .accept(let settings):
            tunnels[tid]?.sessions[sid]?.settings = settings
            // Hook: session created + authorize (plugins may refuse: CDN; or answer later).
            switch pluginsAdmitSession(request, tunnel: tunnel, settings: settings) {
            case .accept: finishSessionAdmission(request, .accept(settings))
            case .refuse(let refusal): finishSessionAdmission(request, .refuse(refusal))
            case .pending: trace(.fsm, tunnel: tid, session: sid, "waiting for a plugin to authorize the session")
            }
        }
    }

    func finishSessionAdmission(_ request: SessionRequest, _ decision: Admission<SessionSettings>) {
        switch decision {
        case .accept:
            counters.sessionsCreated += 1
            tunnels[request.tunnelID]?.sessions[request.sessionID]?.state = .opening
        case .refuse(let refusal):
            logSessionRefusal(request, refusal)
        }
        schedule(.decideSession(request.sessionID, tunnelID: request.tunnelID, decision))
    }

    // MARK: - Decisions

    /// The daemon's own decision on an SCCRQ: limits, then profiles (and
    /// `auth_mode=simple`). The plugins are asked after it.
    public func admitTunnel(_ request: TunnelRequest) -> Admission<TunnelSettings> {
        trace(.function, "admitTunnel from \(request.peer) host '\(escaped: request.peerHostName)'")
        if let refusal = tunnelLimit(remote: true) { return .refuse(refusal) }
        let address = IPv4Address(request.peer.address)
        let settings: TunnelSettings
        do {
            settings = try resolver.remoteTunnel(peerHostName: request.peerHostName, peerAddress: address)
        } catch {
            return .refuse(Refusal(resultCode: 2, errorCode: 6, reason: error.message))
        }
        if settings.authMode == .simple, settings.peerProfileName == nil || settings.peerProfileName == "default" {
            // OpenL2TP 1.8: simple authentication admits only peers that a
            // peer profile of their own names (host name, address, netmask).
            return .refuse(
                Refusal(
                    resultCode: 4,
                    reason: "auth_mode=simple and no peer profile matches this peer's host name or address"))
        }
        return .accept(settings)
    }

    private func logTunnelRefusal(_ request: TunnelRequest, _ refusal: Refusal) {
        counters.tunnelsRefused += 1
        guard refusals.note("tunnels: \(refusal.reason)", now: clock()) else { return }
        logger.warning(
            "refused tunnel \(request.tunnelID) from \(request.peer) host '\(escaped: request.peerHostName)': \(escaped: refusal.reason); StopCCN result code \(refusal.resultCode)\(refusal.errorCode.map { " error \($0)" } ?? "")"
        )
    }

    /// The daemon's own decision on an ICRQ/OCRQ: limits and the session
    /// profile. The requested session is not yet in the table when its
    /// limits are checked; the plugins are asked after it.
    public func admitSession(_ request: SessionRequest) -> Admission<SessionSettings> {
        trace(.function, tunnel: request.tunnelID, "admitSession")
        guard let tunnel = tunnels[request.tunnelID], tunnel.state == .established else {
            return .refuse(
                Refusal(resultCode: 2, errorCode: 1, reason: "tunnel \(request.tunnelID) is not established"))
        }
        if let refusal = sessionLimit(in: tunnel) { return .refuse(refusal) }
        do {
            var settings = try resolver.session(nil, tunnel: tunnel.settings)
            if settings.sessionType == nil { settings.sessionType = request.isOutgoingCall ? .laoc : .lnic }
            return .accept(settings)
        } catch {
            return .refuse(Refusal(resultCode: 2, errorCode: 6, reason: error.message))
        }
    }

    private func logSessionRefusal(_ request: SessionRequest, _ refusal: Refusal) {
        counters.sessionsRefused += 1
        guard refusals.note("sessions: \(refusal.reason)", now: clock()) else { return }
        let peer = tunnels[request.tunnelID].map { " from \($0.peer)" } ?? ""
        logger.warning(
            "refused session\(peer) in tunnel \(request.tunnelID): \(escaped: refusal.reason); CDN result code \(refusal.resultCode)\(refusal.errorCode.map { " error \($0)" } ?? "")"
        )
    }

    // MARK: - Limits

    /// Tunnels that count against `max_tunnels`: every tunnel except the
    /// half-open ones a peer asked for (SCCRQ answered, SCCCN not yet
    /// received), which live in the engine's bounded half-open table so a
    /// flood of forged SCCRQs cannot lock legitimate peers out.
    var countedTunnels: Int { tunnels.count - halfOpenTunnels.count }

    /// Why a new tunnel may not be created now, if it may not.
    /// RFC 2661 4.4.2: StopCCN result 4 "not authorized", 6 "being shut down",
    /// 2 "general error" with error 4 "insufficient resources".
    func tunnelLimit(remote: Bool, excluding: UInt16? = nil) -> Refusal? {
        if isShuttingDown {
            return Refusal(resultCode: 6, reason: "openl2tpd is shutting down")
        }
        if remote, system.denyRemoteTunnelCreates {
            return Refusal(resultCode: 4, reason: "deny_remote_tunnel_creates=yes")
        }
        if !remote, system.denyLocalTunnelCreates {
            return Refusal(resultCode: 4, reason: "deny_local_tunnel_creates=yes")
        }
        if system.drainTunnels {
            return Refusal(resultCode: 2, errorCode: 4, reason: "drain_tunnels=yes")
        }
        let counted =
            countedTunnels - (excluding.map { tunnels[$0] != nil && !halfOpenTunnels.contains($0) ? 1 : 0 } ?? 0)
        if system.maxTunnels > 0, counted >= system.maxTunnels {
            return Refusal(
                resultCode: 2, errorCode: 4, reason: "max_tunnels limit (\(system.maxTunnels)) reached",
                isCapacityLimit: true)
        }
        return nil
    }

    /// Why a new session may not be created in `tunnel` now. Every session
    /// record counts, whatever its state (waiting for admission, for ICCN,
    /// established, closing). RFC 2661 4.4.2 CDN result 4 "temporary lack of facilities".
    func sessionLimit(in tunnel: TunnelRecord) -> Refusal? {
        if isShuttingDown {
            return Refusal(resultCode: 4, reason: "openl2tpd is shutting down")
        }
        if system.drainTunnels {
            return Refusal(resultCode: 4, reason: "drain_tunnels=yes")
        }
        let queued = queuedSessions[tunnel.tunnelID]?.count ?? 0
        if system.maxSessions > 0, sessionCount + queuedSessionCount >= system.maxSessions {
            return Refusal(
                resultCode: 4, reason: "max_sessions limit (\(system.maxSessions)) reached (system)",
                isCapacityLimit: true)
        }
        if tunnel.settings.maxSessions > 0, tunnel.sessions.count + queued >= tunnel.settings.maxSessions {
            return Refusal(
                resultCode: 4,
                reason: "max_sessions limit (\(tunnel.settings.maxSessions)) of tunnel \(tunnel.tunnelID) reached",
                isCapacityLimit: true)
        }
        return nil
    }

    /// `session create` requests waiting for their tunnel to come up: they
    /// are sessions the operator asked for, so they count.
    var queuedSessionCount: Int { queuedSessions.values.reduce(0) { $0 + $1.count } }

    // MARK: - Summaries

    /// Logs the summary of refusals and drops of the interval that ended,
    /// with the engine's drops (forged sources, evicted half-open tunnels).
    func flushRefusalSummary(now: UInt64) {
        let drops = engine.controlDrops
        // Counters restart at zero after `reset_statistics`.
        func since(_ total: UInt64, _ reported: UInt64) -> UInt64 { total >= reported ? total - reported : total }
        refusals.count(
            "control messages from a foreign source", since(drops.foreignSource, reportedDrops.foreignSource), now: now)
        refusals.count(
            "half-open tunnels evicted", since(drops.halfOpenEvicted, reportedDrops.halfOpenEvicted), now: now)
        reportedDrops = drops
        // Reasons may be a plugin's text.
        if let line = refusals.flush(now: now) { logger.warning("\(escaped: line)") }
    }
}

/// What the plugins made of a tunnel or session: decided now, or later
/// through `Daemon.pluginDecided` (ABI 1.2 deferred decisions).
enum PluginAdmission {
    case accept
    case refuse(Refusal)
    case pending
}

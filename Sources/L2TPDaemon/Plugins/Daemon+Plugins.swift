import L2TPPluginHost

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The daemon's `// Hook:` points: each is one call into this extension,
/// which builds the snapshot from the daemon's records and reports the event
/// to the plugin host (docs/daemon-plugins.md). With no plugins loaded
/// (`plugins == nil`) every call returns at once.
extension Daemon {
    // MARK: - Tunnels

    /// SCCRQ passed the daemon's own limits: plugins see the tunnel created,
    /// then authorize it by peer address and Host Name (RFC 2661 5.1.1), at
    /// once or later (ABI 1.2: the outcome comes to `pluginDecided`). A
    /// refusal carries the StopCCN result the plugin asked for, else 2
    /// "general error" (RFC 2661 4.4.2).
    func pluginsAdmitTunnel(_ request: TunnelRequest, settings: TunnelSettings) -> PluginAdmission {
        guard let plugins else { return .accept }
        let port = settings.ourUDPPort.map(UInt16.init) ?? listenAddress.port
        let bound = IPv4SocketAddress(address: settings.source?.value ?? listenAddress.address, port: port)
        let info = PluginSnapshots.incomingTunnel(
            request, local: io?.visibleAddress(bound, toward: request.peer) ?? bound,
            settings: settings)
        plugins.tunnelInfos[request.tunnelID] = info
        switch plugins.host.admitTunnel(info, now: clock()) {
        case .accept: return .accept
        case .pending: return .pending
        case .refuse(let refusal):
            pluginsForgetRefusedTunnel(request.tunnelID)
            return .refuse(Self.wireRefusal(refusal))
        }
    }

    /// A tunnel the plugins refused was never created as far as the daemon
    /// goes: they see it deleted now.
    func pluginsForgetRefusedTunnel(_ id: UInt16) {
        guard let plugins, let info = plugins.tunnelInfos.removeValue(forKey: id) else { return }
        plugins.host.tunnelDeleted(info)
    }

    /// A plugin's refusal as the StopCCN/CDN result: its result and error
    /// codes (RFC 2661 4.4.2; 2 "general error" when it gave none), and a
    /// reason that names the plugin.
    static func wireRefusal(_ refusal: PluginRefusal) -> Refusal {
        Refusal(
            resultCode: refusal.resultCode ?? 2, errorCode: refusal.errorCode,
            reason: "refused by plugin \(refusal.plugin ?? "host"): \(refusal.reason)")
    }

    /// `tunnel create`: plugins see the tunnel created (they may refuse it).
    func pluginsLocalTunnelCreated(_ id: UInt16) -> PluginRefusal? {
        guard let plugins, let record = tunnels[id] else { return nil }
        let info = PluginSnapshots.tunnel(record)
        plugins.tunnelInfos[id] = info
        if case .refuse(let refusal) = plugins.host.tunnelCreated(info) { return refusal }
        return nil
    }

    /// Tunnel established. A tunnel we created learns the peer's Host Name
    /// only now (SCCRP), so it is authorized here; a refusal closes it.
    func pluginsTunnelUp(_ id: UInt16) {
        guard let plugins, let record = tunnels[id], plugins.tunnelInfos[id] != nil else { return }
        let info = PluginSnapshots.tunnel(record)
        plugins.tunnelInfos[id] = info
        if record.createdLocally, case .refuse(let refusal) = plugins.host.authorizeTunnel(info) {
            let wire = Self.wireRefusal(refusal)
            logger.warning(
                "tunnel \(id)\(label(record)) refused by plugin \(refusal.plugin ?? "host"): \(escaped: refusal.reason); StopCCN result code \(wire.resultCode)"
            )
            persistentTunnels[PersistentTunnel.key(record.settings)] = nil
            schedule(.closeTunnel(id, wire))
            return
        }
        plugins.host.tunnelUp(info)
    }

    func pluginsTunnelDown(_ id: UInt16) {
        guard let plugins, plugins.tunnelInfos[id] != nil else { return }
        let info = tunnels[id].map(PluginSnapshots.tunnel) ?? plugins.tunnelInfos[id]!
        plugins.tunnelInfos[id] = info
        plugins.host.tunnelDown(info)
    }

    /// All state of the tunnel is gone (its sessions too: the host finishes
    /// any the daemon did not report, in session id order).
    func pluginsTunnelDeleted(_ id: UInt16) {
        guard let plugins, let info = plugins.tunnelInfos.removeValue(forKey: id) else { return }
        plugins.host.tunnelDeleted(info)
        for key in plugins.sessionInfos.keys where key >> 16 == UInt32(id) { plugins.forgetSession(key) }
    }

    // MARK: - Sockets (ipsec)

    /// The tunnel's socket is connected to `peer`: plugins get the exact
    /// local and peer address/port pair (the local side from getsockname, so
    /// a wildcard bind shows the address the kernel picked).
    func pluginsSocketConnected(_ id: UInt16, peer: IPv4SocketAddress) {
        guard let plugins else { return }
        let bound = tunnels[id]?.local ?? IPv4SocketAddress(address: 0, port: 0)
        let local = io?.boundAddress(tunnelID: id) ?? bound
        let info = PluginSnapshots.socket(tunnelID: id, local: local, peer: peer)
        guard plugins.connectedSockets[id] != info else { return }
        plugins.connectedSockets[id] = info
        plugins.host.socketConnected(info)
    }

    func pluginsSocketDisconnected(_ id: UInt16) {
        guard let plugins, let info = plugins.connectedSockets.removeValue(forKey: id) else { return }
        plugins.host.socketDisconnected(info)
    }

    // MARK: - Sessions

    /// ICRQ/OCRQ passed the daemon's limits: plugins see the session created
    /// and authorize it (Calling/Called Number), at once or later.
    func pluginsAdmitSession(_ request: SessionRequest, tunnel: TunnelRecord, settings: SessionSettings)
        -> PluginAdmission
    {
        guard let plugins, plugins.tunnelInfos[request.tunnelID] != nil else { return .accept }
        let key = DaemonPlugins.key(request.tunnelID, request.sessionID)
        plugins.callDetails[key] = PluginCallDetails(
            callSerialNumber: request.callSerialNumber, callingNumber: request.callingNumber,
            calledNumber: request.calledNumber, subAddress: request.subAddress)
        let record = SessionRecord(
            sessionID: request.sessionID, tunnelID: request.tunnelID, settings: settings,
            createdLocally: false, createdAt: wallClock())
        var info = sessionSnapshot(record, tunnel: tunnel)
        info.peerSessionID = request.peerSessionID
        plugins.sessionInfos[key] = info
        switch plugins.host.admitSession(info, now: clock()) {
        case .accept: return .accept
        case .pending: return .pending
        case .refuse(let refusal):
            pluginsForgetRefusedSession(tunnelID: request.tunnelID, sessionID: request.sessionID)
            return .refuse(Self.wireRefusal(refusal))
        }
    }

    /// A session the plugins refused: they see it deleted now.
    func pluginsForgetRefusedSession(tunnelID tid: UInt16, sessionID sid: UInt16) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins, let info = plugins.sessionInfos[key] else { return }
        plugins.host.sessionDeleted(info)
        plugins.forgetSession(key)
    }

    /// `session create` (LAC incoming / LNS outgoing call we place).
    func pluginsLocalSessionCreated(tunnelID tid: UInt16, sessionID sid: UInt16) {
        guard let plugins, plugins.tunnelInfos[tid] != nil, let tunnel = tunnels[tid],
            let record = tunnel.sessions[sid]
        else { return }
        let info = sessionSnapshot(record, tunnel: tunnel)
        plugins.sessionInfos[DaemonPlugins.key(tid, sid)] = info
        plugins.host.sessionCreated(info)
    }

    /// Session established, kernel session and PPPoL2TP socket made: session
    /// up, then addresses (ip_allocate), then PPP (ppp_spawn with the
    /// PPPoL2TP fd; -1 when the data path is the null one). A claiming
    /// plugin that fails closes the session (CDN).
    func pluginsSessionUp(tunnelID tid: UInt16, sessionID sid: UInt16) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins, plugins.tunnelInfos[tid] != nil, let tunnel = tunnels[tid],
            let record = tunnel.sessions[sid]
        else { return }
        if let details = engine.sessionCallDetails(tunnelID: tid, sessionID: sid) {
            // ICCN/OCCN complete what ICRQ/OCRQ said (proxy authentication).
            plugins.callDetails[key] = PluginCallDetails(
                callSerialNumber: details.callSerialNumber, callingNumber: details.callingNumber,
                calledNumber: details.calledNumber, subAddress: details.subAddress,
                proxyAuthentication: details.proxyAuthentication.map {
                    SessionInfo.ProxyAuthentication(
                        type: $0.type, name: $0.name, challenge: $0.challenge,
                        response: $0.response, id: $0.id)
                })
        }
        let info = sessionSnapshot(record, tunnel: tunnel)
        if plugins.sessionInfos[key] == nil {
            // Created without passing admission (e.g. a tie break moved it here).
            plugins.host.sessionCreated(info)
        }
        plugins.sessionInfos[key] = info
        plugins.host.sessionUp(info)
        switch plugins.host.allocateAddresses(for: info, now: clock()) {
        case .pending:
            trace(.ppp, tunnel: tid, session: sid, "waiting for a plugin to allocate addresses")
        case .settled(let result):
            pluginsAddressesSettled(tunnelID: tid, sessionID: sid, result, snapshot: info)
        }
    }

    /// Addresses are settled (at once or by a plugin's later answer): PPP
    /// starts with them, or the session closes when allocation failed.
    /// `snapshot` is the session-up snapshot when the answer came at once;
    /// a later answer takes a fresh one (pppd may have reported meanwhile).
    func pluginsAddressesSettled(
        tunnelID tid: UInt16, sessionID sid: UInt16, _ result: AddressAllocationResult, snapshot: SessionInfo? = nil
    ) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins, let tunnel = tunnels[tid], let record = tunnel.sessions[sid] else { return }
        switch result {
        case .allocated(let allocation):
            logger.info(
                "session \(sid) in tunnel \(tid): plugin \(allocation.plugin) allocated \(allocation.localAddress):\(allocation.peerAddress)"
            )
        case .failed(let plugin, let error):
            logger.warning(
                "session \(sid) in tunnel \(tid): plugin \(plugin) could not allocate addresses (\(errnoText(error))); closing the session"
            )
            schedule(
                .closeSession(
                    sid, tunnelID: tid,
                    Refusal(
                        resultCode: 2, errorCode: 4,
                        reason: "plugin \(plugin) could not allocate addresses (\(errnoText(error)))")))
            return
        case .notClaimed, .notDelivered:
            break
        }
        let info = snapshot ?? sessionSnapshot(record, tunnel: tunnel)
        plugins.sessionInfos[key] = info
        let fd = dataPath.pppSocket(tunnelID: tid, sessionID: sid) ?? -1
        switch plugins.host.spawnPPP(for: info, pppol2tpSocket: fd) {
        case .spawned(let plugin):
            plugins.pppSpawnedBy[key] = plugin
            logger.info("session \(sid) in tunnel \(tid): PPP started by \(plugin) (PPPoL2TP fd \(fd))")
        case .failed(let plugin, let error) where fd < 0:
            // No kernel data path: PPP cannot run anyway; the control plane goes on.
            logger.warning(
                "session \(sid) in tunnel \(tid): plugin \(plugin) could not start PPP without a PPPoL2TP socket (\(errnoText(error)))"
            )
        case .failed(let plugin, let error):
            logger.warning(
                "session \(sid) in tunnel \(tid): plugin \(plugin) could not start PPP (\(errnoText(error))); closing the session"
            )
            schedule(
                .closeSession(
                    sid, tunnelID: tid,
                    Refusal(
                        resultCode: 2, errorCode: 4,
                        reason: "plugin \(plugin) could not start PPP (\(errnoText(error)))")))
        case .notClaimed:
            trace(.ppp, tunnel: tid, session: sid, "no plugin starts PPP for this session")
        case .notDelivered(let reason):
            trace(.ppp, tunnel: tid, session: sid, "PPP not started: \(escaped: reason)")
        }
    }

    /// CDN or teardown: session down, address release, session deleted.
    func pluginsSessionDown(tunnelID tid: UInt16, sessionID sid: UInt16) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins, var info = plugins.sessionInfos[key] else { return }
        if let tunnel = tunnels[tid], let record = tunnel.sessions[sid] {
            info = sessionSnapshot(record, tunnel: tunnel)
        }
        info = PluginSnapshots.goingDown(info, daemonStopping: isShuttingDown)
        plugins.host.sessionDown(info)
        plugins.host.sessionDeleted(info)
        plugins.forgetSession(key)
    }

    // MARK: - PPP (pppd's event socket)

    /// pppd says the link is up: remember interface, unit and user (shown by
    /// `session show`/`user list` through `pppState`) and tell plugins.
    public func pluginsPPPUp(tunnelID tid: UInt16, sessionID sid: UInt16, state: PluginPPPState) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins, tunnels[tid]?.sessions[sid] != nil else { return }
        plugins.pppStates[key] = state
        guard plugins.sessionInfos[key] != nil, let tunnel = tunnels[tid], let record = tunnel.sessions[sid] else {
            return
        }
        let info = sessionSnapshot(record, tunnel: tunnel)
        plugins.sessionInfos[key] = info
        plugins.host.pppUp(info)
    }

    public func pluginsPPPDown(tunnelID tid: UInt16, sessionID sid: UInt16) {
        let key = DaemonPlugins.key(tid, sid)
        guard let plugins else { return }
        plugins.pppStates[key]?.isUp = false
        guard let info = plugins.sessionInfos[key] else { return }
        plugins.host.pppDown(info)
    }

    /// What pppd reported for a session, if anything.
    public func pppState(tunnelID tid: UInt16, sessionID sid: UInt16) -> PluginPPPState? {
        plugins?.pppStates[DaemonPlugins.key(tid, sid)]
    }

    // MARK: - Deferred decisions (ABI 1.2)

    /// A plugin answered a question it had deferred (or the deadline
    /// refused it): the waiting tunnel or session gets its SCCRP/ICRP or its
    /// StopCCN/CDN, a session its addresses and then its PPP.
    public func pluginDecided(_ outcome: PendingOutcome) {
        switch outcome {
        case .tunnel(_, let tid, let decision):
            guard let record = tunnels[tid], record.state == .waitingAdmission else { return }
            let request = TunnelRequest(
                peer: record.peer, peerHostName: record.peerHostName ?? "", peerTunnelID: record.peerTunnelID,
                tunnelID: tid)
            switch decision {
            case .accept: finishTunnelAdmission(request, .accept(record.settings))
            case .refuse(let refusal):
                pluginsForgetRefusedTunnel(tid)
                finishTunnelAdmission(request, .refuse(Self.wireRefusal(refusal)))
            }
        case .session(_, let tid, let sid, let decision):
            guard let session = tunnels[tid]?.sessions[sid], session.state == .waitingAdmission else { return }
            let request = SessionRequest(
                tunnelID: tid, peerSessionID: session.peerSessionID, isOutgoingCall: false, sessionID: sid)
            switch decision {
            case .accept: finishSessionAdmission(request, .accept(session.settings))
            case .refuse(let refusal):
                pluginsForgetRefusedSession(tunnelID: tid, sessionID: sid)
                finishSessionAdmission(request, .refuse(Self.wireRefusal(refusal)))
            }
        case .addresses(_, let tid, let sid, let result):
            pluginsAddressesSettled(tunnelID: tid, sessionID: sid, result)
        }
        rescheduleWakeup()
    }

    /// Questions whose deadline passed are refused (authorization) or failed
    /// (addresses) by the host; carried out like any answer.
    func expirePluginDecisions(now: UInt64) {
        guard let plugins else { return }
        for outcome in plugins.host.expirePending(now: now) { pluginDecided(outcome) }
    }

    // MARK: - Plugin actions

    /// A plugin asked to close a tunnel or session. Called on the event loop
    /// (the runtime hops there from the plugin's thread).
    public func handlePluginAction(_ action: PluginAction) {
        switch action {
        case .closeTunnel(let tid, let reason, let plugin):
            guard tunnels[tid] != nil else {
                return logger.info("plugin \(plugin) asked to close tunnel \(tid), which no longer exists")
            }
            logger.notice("plugin \(plugin) closes tunnel \(tid): \(escaped: reason)")
            deleteTunnel(tid)
        case .closeSession(let tid, let sid, let reason, let plugin):
            guard tunnels[tid]?.sessions[sid] != nil || plugins?.sessionInfos[DaemonPlugins.key(tid, sid)] != nil else {
                return logger.info(
                    "plugin \(plugin) asked to close session \(sid) in tunnel \(tid), which no longer exists")
            }
            logger.notice("plugin \(plugin) closes session \(sid) in tunnel \(tid): \(escaped: reason)")
            perform(engine.closeSession(sid, in: tid, now: clock()))
        }
    }

    // MARK: - Snapshots

    func sessionSnapshot(_ record: SessionRecord, tunnel: TunnelRecord) -> SessionInfo {
        let key = DaemonPlugins.key(record.tunnelID, record.sessionID)
        let call = plugins?.callDetails[key]
        let ppp = plugins?.pppStates[key]
        return SessionInfo(
            tunnelID: record.tunnelID, sessionID: record.sessionID, peerSessionID: record.peerSessionID,
            callType: PluginSnapshots.callType(record.settings, tunnelCreatedLocally: tunnel.createdLocally),
            callSerialNumber: call?.callSerialNumber, callingNumber: call?.callingNumber,
            calledNumber: call?.calledNumber, subAddress: call?.subAddress,
            userName: ppp?.userName ?? record.settings.userName, proxyAuthentication: call?.proxyAuthentication,
            interfaceName: ppp?.interfaceName ?? record.settings.interfaceName, pppUnit: ppp?.unit,
            parameters: PluginSnapshots.parameters(
                record.settings, tunnel: tunnel.settings, profiles: profiles,
                system: system))
    }
}

extension DaemonPlugins {
    func forgetSession(_ key: UInt32) {
        sessionInfos[key] = nil
        callDetails[key] = nil
        pppStates[key] = nil
        pppSpawnedBy[key] = nil
    }
}

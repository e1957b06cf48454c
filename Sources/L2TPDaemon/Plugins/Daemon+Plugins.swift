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
    /// then authorize it by peer address and Host Name (RFC 2661 5.1.1).
    /// Returns the refusal to send in the StopCCN (result code the plugin
    /// asked for, else 2 "general error"; RFC 2661 4.4.2).
    func pluginsAdmitTunnel(_ request: TunnelRequest, settings: TunnelSettings) -> Refusal? {
        guard let plugins else { return nil }
        let port = settings.ourUDPPort.map(UInt16.init) ?? listenAddress.port
        let bound = IPv4SocketAddress(address: settings.source?.value ?? listenAddress.address, port: port)
        let info = PluginSnapshots.incomingTunnel(
            request, local: Self.visibleLocal(bound, toward: request.peer),
            settings: settings)
        plugins.tunnelInfos[request.tunnelID] = info
        guard case .refuse(let refusal) = plugins.host.admitTunnel(info) else { return nil }
        // Never created as far as the daemon goes: plugins see it deleted now.
        plugins.tunnelInfos[request.tunnelID] = nil
        plugins.host.tunnelDeleted(info)
        return Self.wireRefusal(refusal)
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
                "tunnel \(id)\(label(record)) refused by plugin \(refusal.plugin ?? "host"): \(refusal.reason); StopCCN result code \(wire.resultCode)"
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
        let local = io?.socketDescriptor(tunnelID: id).flatMap(Self.socketName) ?? bound
        let info = PluginSnapshots.socket(tunnelID: id, local: local, peer: peer)
        guard plugins.connectedSockets[id] != info else { return }
        plugins.connectedSockets[id] = info
        plugins.host.socketConnected(info)
    }

    func pluginsSocketDisconnected(_ id: UInt16) {
        guard let plugins, let info = plugins.connectedSockets.removeValue(forKey: id) else { return }
        plugins.host.socketDisconnected(info)
    }

    static func socketName(_ fd: Int32) -> IPv4SocketAddress? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return IPv4SocketAddress(
            address: UInt32(bigEndian: address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port))
    }

    // MARK: - Sessions

    /// ICRQ/OCRQ passed the daemon's limits: plugins see the session created
    /// and authorize it (Calling/Called Number). Returns the CDN refusal.
    func pluginsAdmitSession(_ request: SessionRequest, tunnel: TunnelRecord, settings: SessionSettings) -> Refusal? {
        guard let plugins, plugins.tunnelInfos[request.tunnelID] != nil else { return nil }
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
        guard case .refuse(let refusal) = plugins.host.admitSession(info) else { return nil }
        plugins.host.sessionDeleted(info)
        plugins.forgetSession(key)
        return Self.wireRefusal(refusal)
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
        switch plugins.host.allocateAddresses(for: info) {
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
            trace(.ppp, tunnel: tid, session: sid, "PPP not started: \(reason)")
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

    // MARK: - Plugin actions

    /// A plugin asked to close a tunnel or session. Called on the event loop
    /// (the runtime hops there from the plugin's thread).
    public func handlePluginAction(_ action: PluginAction) {
        switch action {
        case .closeTunnel(let tid, let reason, let plugin):
            guard tunnels[tid] != nil else {
                return logger.info("plugin \(plugin) asked to close tunnel \(tid), which no longer exists")
            }
            logger.notice("plugin \(plugin) closes tunnel \(tid): \(reason)")
            deleteTunnel(tid)
        case .closeSession(let tid, let sid, let reason, let plugin):
            guard tunnels[tid]?.sessions[sid] != nil || plugins?.sessionInfos[DaemonPlugins.key(tid, sid)] != nil else {
                return logger.info(
                    "plugin \(plugin) asked to close session \(sid) in tunnel \(tid), which no longer exists")
            }
            logger.notice("plugin \(plugin) closes session \(sid) in tunnel \(tid): \(reason)")
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

import COpenL2TPPlugin

/// Tunnel events. Per tunnel id the host delivers created, up, down, deleted
/// in that order, each at most once per life cycle; see docs/plugins.md.
extension PluginHost {
    typealias NotifyHook = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?) -> Void
    typealias AskHook = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, OpaquePointer?) -> Int32

    // MARK: - Events

    /// A tunnel context was created (incoming SCCRQ or local `tunnel create`).
    /// Plugins may refuse it; the first refusal wins. A refused tunnel must
    /// still be reported deleted when the daemon drops it.
    @discardableResult
    public func tunnelCreated(_ tunnel: TunnelInfo) -> PluginDecision {
        dispatching {
            if ledger.tunnels[tunnel.tunnelID] != nil {
                warn("tunnel \(tunnel.tunnelID) created again before it was deleted: finishing the old one first")
                finishTunnel(tunnel.tunnelID)
            }
            var entry = LifecycleLedger.TunnelEntry(info: tunnel)
            let outcome = decide(\.tunnel_created, Array(registrations.indices), tunnel.snapshot)
            entry.audience = Array(registrations.indices.prefix(outcome.asked))
            entry.refusal = outcome.refusal
            ledger.tunnels[tunnel.tunnelID] = entry
            return outcome.refusal.map(PluginDecision.refuse) ?? .accept
        }
    }

    /// `tunnelCreated` then, if no plugin refused, `authorizeTunnel`: the one
    /// call for the moment an incoming SCCRQ is admitted (RFC 2661 5.1.1).
    public func admitTunnel(_ tunnel: TunnelInfo) -> PluginDecision {
        dispatching {
            let created = tunnelCreated(tunnel)
            return created.isAccepted ? authorizeTunnel(tunnel) : created
        }
    }

    /// Asks plugins whether to accept a tunnel, by its peer address and Host
    /// Name (RFC 2661 4.4.3), after `tunnelCreated` and before `tunnelUp`.
    public func authorizeTunnel(_ tunnel: TunnelInfo) -> PluginDecision {
        dispatching {
            authorizeEntry(
                \.tunnels, tunnel.tunnelID, tunnel, label: "tunnel \(tunnel.tunnelID)", hook: \.tunnel_authorize)
        }
    }

    /// The control connection is established (SCCCN sent or received).
    public func tunnelUp(_ tunnel: TunnelInfo) {
        dispatching {
            bringEntryUp(\.tunnels, tunnel.tunnelID, tunnel, label: "tunnel \(tunnel.tunnelID)", hook: \.tunnel_up)
        }
    }

    /// The control connection is going away. Its sessions are finished first.
    /// Down is only delivered after up; down without up is recorded silently.
    public func tunnelDown(_ tunnel: TunnelInfo) {
        dispatching {
            guard ledger.tunnels[tunnel.tunnelID] != nil else {
                return warn("tunnel \(tunnel.tunnelID) down but unknown: not delivered")
            }
            if ledger.tunnels[tunnel.tunnelID]?.phase == .down {
                return warn("tunnel \(tunnel.tunnelID) down twice: not delivered again")
            }
            ledger.tunnels[tunnel.tunnelID]?.info = tunnel
            bringTunnelDown(tunnel.tunnelID)
        }
    }

    /// The tunnel is gone. Whatever was not reported (session teardown, down,
    /// socket disconnect) is delivered first, from the last snapshots.
    public func tunnelDeleted(_ tunnel: TunnelInfo) {
        dispatching {
            guard ledger.tunnels[tunnel.tunnelID] != nil else {
                return warn("tunnel \(tunnel.tunnelID) deleted but unknown (or deleted twice): not delivered")
            }
            ledger.tunnels[tunnel.tunnelID]?.info = tunnel
            finishTunnel(tunnel.tunnelID)
        }
    }

    // MARK: - Socket events (for IPsec)

    /// The tunnel's UDP socket is connected to its peer. Delivered to every
    /// plugin (a socket may connect before its tunnel is reported).
    public func socketConnected(_ socket: SocketInfo) {
        dispatching {
            if let existing = ledger.sockets[socket.tunnelID] {
                if existing.info == socket {
                    return warn("socket of tunnel \(socket.tunnelID) connected twice: not delivered again")
                }
                warn("socket of tunnel \(socket.tunnelID) reconnected to new addresses: disconnecting the old first")
                disconnectSocket(socket.tunnelID)
            }
            let audience = Array(registrations.indices)
            ledger.sockets[socket.tunnelID] = .init(info: socket, audience: audience)
            notify(\.socket_connected, audience, socket.snapshot)
        }
    }

    /// The socket is disconnected. Plugins see the addresses they were given
    /// at connect time, so they remove exactly what they added.
    public func socketDisconnected(_ socket: SocketInfo) {
        dispatching {
            guard ledger.sockets[socket.tunnelID] != nil else {
                return warn("socket of tunnel \(socket.tunnelID) disconnected but not connected: not delivered")
            }
            disconnectSocket(socket.tunnelID)
        }
    }

    // MARK: - Internals

    func bringTunnelDown(_ tunnelID: UInt16) {
        for key in ledger.sessionKeys(inTunnel: tunnelID) { finishSession(key) }
        cancelRequests(of: tunnelID)
        guard let entry = ledger.tunnels[tunnelID] else { return }
        ledger.tunnels[tunnelID]?.phase = .down
        if entry.phase == .up { notify(\.tunnel_down, entry.audience, entry.info.snapshot) }
    }

    func finishTunnel(_ tunnelID: UInt16) {
        bringTunnelDown(tunnelID)
        if ledger.sockets[tunnelID] != nil { disconnectSocket(tunnelID) }
        guard let entry = ledger.tunnels.removeValue(forKey: tunnelID) else { return }
        notify(\.tunnel_deleted, entry.audience, entry.info.snapshot)
    }

    func disconnectSocket(_ tunnelID: UInt16) {
        guard let entry = ledger.sockets.removeValue(forKey: tunnelID) else { return }
        notify(\.socket_disconnected, entry.audience, entry.info.snapshot)
    }

    func finishEverything() {
        for tunnelID in ledger.tunnels.keys.sorted() { finishTunnel(tunnelID) }
        for key in ledger.sessions.keys.sorted() { finishSession(key) }
        for tunnelID in ledger.sockets.keys.sorted() { disconnectSocket(tunnelID) }
    }

    // MARK: - Calling plugins

    func notify(_ hook: KeyPath<ol2tp_hooks_t, NotifyHook?>, _ audience: [Int], _ snapshot: Snapshot) {
        withHandle(snapshot) { handle in
            for index in audience where index < registrations.count {
                let registration = registrations[index]
                registration.hooks[keyPath: hook]?(registration.userData, handle)
            }
        }
    }

    /// Asks `audience` in order until one refuses, synchronously (no plugin
    /// may pend). `asked` counts the registrations that saw the question,
    /// the refuser included.
    func decide(
        _ hook: KeyPath<ol2tp_hooks_t, AskHook?>, _ audience: [Int], _ snapshot: Snapshot
    ) -> (refusal: PluginRefusal?, asked: Int) {
        switch ask(hook, audience, snapshot, deferrable: false) {
        case .accepted: return (nil, audience.count)
        case .refused(let refusal, let asked): return (refusal, asked)
        case .pending(let token, _, _):
            // Not reachable: without deferral reply_defer hands out no id.
            voidRequest(token)
            return (PluginRefusal(plugin: nil, reason: "a plugin pended a synchronous question"), audience.count)
        }
    }

    /// Asks `audience` in order until one refuses or (when `deferrable`, ABI
    /// 1.2) one pends: then the chain stops there and `remaining` is who is
    /// asked once that plugin accepts.
    func ask(
        _ hook: KeyPath<ol2tp_hooks_t, AskHook?>, _ audience: [Int], _ snapshot: Snapshot, deferrable: Bool
    ) -> AskStep {
        withHandle(snapshot) { handle in
            for (position, index) in audience.enumerated() where index < registrations.count {
                let registration = registrations[index]
                guard let ask = registration.hooks[keyPath: hook] else { continue }
                let deferral =
                    deferrable && deferred != nil
                    ? ReplyBox.Deferral(kind: .authorization, owner: registration.contextToken, shared: shared) : nil
                let answer = withReply(acceptsAddresses: false, deferral: deferral) {
                    ask(registration.userData, handle, $0)
                }
                if let token = answer.reply.requestID {
                    if answer.status == Int32(OL2TP_PENDING) {
                        return .pending(
                            token: token, registration: index, remaining: Array(audience[(position + 1)...]))
                    }
                    voidRequest(token)
                }
                if answer.status == Int32(OL2TP_ACCEPT) { continue }
                let reason =
                    answer.reply.reason
                    ?? (answer.status == Int32(OL2TP_PENDING) && registration.abiMinor >= 2
                        ? "plugin \(registration.pluginName) returned OL2TP_PENDING without reply_defer: refused"
                        : answer.status > 0
                            ? "refused by plugin \(registration.pluginName)"
                            : "plugin \(registration.pluginName) failed (\(answer.status))")
                let refusal = PluginRefusal(
                    plugin: registration.pluginName, reason: reason,
                    resultCode: answer.reply.resultCode, errorCode: answer.reply.errorCode)
                return .refused(refusal, asked: position + 1)
            }
            return .accepted
        }
    }

    func hostRefusal(_ reason: String) -> PluginDecision { .refuse(hostRefused(reason)) }

    /// The host itself refuses (an event out of order), with a warning.
    func hostRefused(_ reason: String) -> PluginRefusal {
        warn(reason + ": refused")
        return PluginRefusal(plugin: nil, reason: reason)
    }
}

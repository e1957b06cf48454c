import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Session and PPP events. Per (tunnel id, session id) the host delivers
/// created, up, down, deleted in order, each at most once; PPP up/down only
/// inside session up/down; addresses are released before deleted.
extension PluginHost {
    typealias SpawnHook = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, Int32) -> Int32

    // MARK: - Life cycle

    /// A session context was created in a live tunnel. Only plugins that saw
    /// the tunnel created see its sessions.
    public func sessionCreated(_ session: SessionInfo) {
        dispatching {
            guard let tunnel = ledger.tunnels[session.tunnelID], tunnel.phase != .down, tunnel.refusal == nil
            else {
                return warn("\(session.label) created in a tunnel that is not live: not delivered")
            }
            if ledger.sessions[session.key] != nil {
                warn("\(session.label) created again before it was deleted: finishing the old one first")
                finishSession(session.key)
            }
            ledger.sessions[session.key] = .init(info: session, audience: tunnel.audience)
            notify(\.session_created, tunnel.audience, session.snapshot(in: ledger))
        }
    }

    /// `sessionCreated` then `authorizeSession`: the one call for the moment
    /// an ICRQ/OCRQ is admitted.
    public func admitSession(_ session: SessionInfo) -> PluginDecision {
        dispatching {
            sessionCreated(session)
            return authorizeSession(session)
        }
    }

    /// Asks plugins whether to accept a session by its Calling/Called Number
    /// and proxy authentication AVPs (RFC 2661 4.4.5); first refusal wins.
    public func authorizeSession(_ session: SessionInfo) -> PluginDecision {
        dispatching {
            authorizeEntry(\.sessions, session.key, session, label: session.label, hook: \.session_authorize)
        }
    }

    public func sessionUp(_ session: SessionInfo) {
        dispatching {
            bringEntryUp(\.sessions, session.key, session, label: session.label, hook: \.session_up)
        }
    }

    /// Down is delivered only after up (PPP down first if PPP was up).
    public func sessionDown(_ session: SessionInfo) {
        dispatching {
            guard let entry = ledger.sessions[session.key], entry.phase != .down else {
                return warn("\(session.label) down but not created or already down: not delivered")
            }
            ledger.sessions[session.key]?.info = session
            bringSessionDown(session.key)
        }
    }

    /// The session is gone: down (if it was up), address release, deleted.
    public func sessionDeleted(_ session: SessionInfo) {
        dispatching {
            guard ledger.sessions[session.key] != nil else {
                return warn("\(session.label) deleted but unknown (or deleted twice): not delivered")
            }
            ledger.sessions[session.key]?.info = session
            finishSession(session.key)
        }
    }

    // MARK: - IP addresses

    /// Asks plugins (e.g. an IP pool or RADIUS) for the PPP link's addresses;
    /// the first plugin that claims the allocation wins. Asking again returns
    /// the same allocation. Synchronous: no plugin may pend (reply_defer
    /// answers -EPERM); `allocateAddresses(for:now:)` lets them.
    public func allocateAddresses(for session: SessionInfo) -> AddressAllocationResult {
        dispatching {
            guard var entry = ledger.sessions[session.key], entry.phase != .down, entry.refusal == nil else {
                return notDelivered("address allocation for \(session.label) that is not live")
            }
            if let existing = entry.addresses { return .allocated(existing.allocation) }
            if entry.addressRequest != nil {
                return notDelivered("synchronous address allocation for \(session.label) while one is pending")
            }
            entry.info = session
            ledger.sessions[session.key] = entry
            switch allocate(session.key, entry.audience, deferrable: false) {
            case .settled(let result): return result
            case .pending(let token, _, _):
                voidRequest(token)  // not reachable: no id without deferral
                return .failed(plugin: "", errno: EINVAL)
            }
        }
    }

    /// Asks `audience` in order for addresses until one claims (recorded in
    /// the ledger), fails or, when `deferrable`, pends.
    func allocate(_ key: LifecycleLedger.SessionKey, _ audience: [Int], deferrable: Bool) -> AllocationStep {
        guard let entry = ledger.sessions[key] else { return .settled(.notDelivered(reason: "session gone")) }
        return withHandle(entry.info.snapshot(in: ledger)) { handle -> AllocationStep in
            for (position, index) in audience.enumerated() where index < registrations.count {
                let registration = registrations[index]
                guard let allocate = registration.hooks.ip_allocate else { continue }
                let deferral =
                    deferrable && deferred != nil
                    ? ReplyBox.Deferral(kind: .addresses, owner: registration.contextToken, shared: shared) : nil
                let answer = withReply(acceptsAddresses: true, deferral: deferral) {
                    allocate(registration.userData, handle, $0)
                }
                if let token = answer.reply.requestID {
                    if answer.status == Int32(OL2TP_PENDING) {
                        return .pending(
                            token: token, registration: index, remaining: Array(audience[(position + 1)...]))
                    }
                    voidRequest(token)
                }
                if answer.status == Int32(OL2TP_DECLINE) { continue }
                guard answer.status == Int32(OL2TP_CLAIMED), let addresses = answer.reply.addresses else {
                    if answer.status == Int32(OL2TP_PENDING) {
                        warn(
                            "plugin \(registration.pluginName) returned OL2TP_PENDING from ip_allocate without reply_defer"
                        )
                    }
                    let errno = answer.status < 0 ? -answer.status : EINVAL
                    return .settled(.failed(plugin: registration.pluginName, errno: errno))
                }
                return .settled(.allocated(claim(key, by: index, local: addresses.local, peer: addresses.peer)))
            }
            return .settled(.notClaimed)
        }
    }

    /// Records a plugin's addresses for the session.
    func claim(_ key: LifecycleLedger.SessionKey, by index: Int, local: UInt32, peer: UInt32) -> AddressAllocation {
        let allocation = AddressAllocation(
            plugin: registrations[index].pluginName, localAddress: PluginIPv4Address(rawValue: local),
            peerAddress: PluginIPv4Address(rawValue: peer))
        ledger.sessions[key]?.addresses = (index, allocation)
        return allocation
    }

    /// Gives the addresses back to the plugin that allocated them. Also done
    /// automatically before `sessionDeleted` is delivered.
    public func releaseAddresses(for session: SessionInfo) {
        dispatching {
            ledger.sessions[session.key]?.info = session
            releaseAddresses(session.key)
        }
    }

    // MARK: - PPP

    /// Asks plugins to start PPP on the session's PPPoL2TP socket; the first
    /// that claims it wins. At most once per session. The daemon keeps
    /// ownership of `pppol2tpSocket` (plugins dup it if they keep it).
    public func spawnPPP(for session: SessionInfo, pppol2tpSocket: Int32) -> PPPSpawnResult {
        dispatching {
            guard var entry = ledger.sessions[session.key], entry.phase != .down, entry.refusal == nil else {
                return .notDelivered(reason: logged("PPP spawn for \(session.label) that is not live"))
            }
            if let spawner = entry.pppSpawnedBy {
                let spawnerName = registrations[spawner].pluginName
                return .notDelivered(reason: logged("PPP for \(session.label) was already started by \(spawnerName)"))
            }
            entry.info = session
            ledger.sessions[session.key] = entry
            // pppd must use the addresses an ip_allocate hook answered.
            var allocated: [String: String] = [:]
            if let allocation = entry.addresses?.allocation {
                allocated["local_ipaddr"] = "\(allocation.localAddress)"
                allocated["remote_ipaddr"] = "\(allocation.peerAddress)"
            }
            return withHandle(session.snapshot(in: ledger, overriding: allocated)) { handle -> PPPSpawnResult in
                for index in entry.audience {
                    let registration = registrations[index]
                    guard let spawn = registration.hooks.ppp_spawn else { continue }
                    let status = spawn(registration.userData, handle, pppol2tpSocket)
                    if status == Int32(OL2TP_DECLINE) { continue }
                    ledger.sessions[session.key]?.pppSpawnedBy = index
                    guard status == Int32(OL2TP_CLAIMED) else {
                        return .failed(plugin: registration.pluginName, errno: status < 0 ? -status : EINVAL)
                    }
                    return .spawned(plugin: registration.pluginName)
                }
                return .notClaimed
            }
        }
    }

    /// PPP reported up (pppd's openl2tp.so event); delivered once, only while
    /// the session is up. The snapshot should carry interface name and unit.
    public func pppUp(_ session: SessionInfo) {
        dispatching {
            guard let entry = ledger.sessions[session.key], entry.phase == .up, entry.ppp == .notUp else {
                return warn("PPP up for \(session.label) that is not up or had PPP already: not delivered")
            }
            ledger.sessions[session.key]?.info = session
            ledger.sessions[session.key]?.ppp = .up
            notify(\.ppp_up, entry.audience, session.snapshot(in: ledger))
        }
    }

    /// PPP reported down; delivered only after PPP up.
    public func pppDown(_ session: SessionInfo) {
        dispatching {
            guard ledger.sessions[session.key]?.ppp == .up else {
                return warn("PPP down for \(session.label) whose PPP is not up: not delivered")
            }
            ledger.sessions[session.key]?.info = session
            bringPPPDown(session.key)
        }
    }

    // MARK: - Internals

    func bringPPPDown(_ key: LifecycleLedger.SessionKey) {
        guard let entry = ledger.sessions[key], entry.ppp == .up else { return }
        ledger.sessions[key]?.ppp = .finished
        notify(\.ppp_down, entry.audience, entry.info.snapshot(in: ledger))
    }

    func bringSessionDown(_ key: LifecycleLedger.SessionKey) {
        cancelRequests(of: key)
        bringPPPDown(key)
        guard let entry = ledger.sessions[key] else { return }
        ledger.sessions[key]?.phase = .down
        if entry.phase == .up { notify(\.session_down, entry.audience, entry.info.snapshot(in: ledger)) }
    }

    func releaseAddresses(_ key: LifecycleLedger.SessionKey) {
        guard let entry = ledger.sessions[key], let holder = entry.addresses else { return }
        ledger.sessions[key]?.addresses = nil
        notify(\.ip_release, [holder.registration], entry.info.snapshot(in: ledger))
    }

    func finishSession(_ key: LifecycleLedger.SessionKey) {
        bringSessionDown(key)
        releaseAddresses(key)
        guard let entry = ledger.sessions.removeValue(forKey: key) else { return }
        notify(\.session_deleted, entry.audience, entry.info.snapshot(in: ledger))
    }

    private func logged(_ reason: String) -> String {
        warn(reason + ": not delivered")
        return reason
    }

    func notDelivered(_ reason: String) -> AddressAllocationResult {
        .notDelivered(reason: logged(reason))
    }
}

extension SessionInfo {
    /// "session T/S", as log lines name sessions.
    var label: String { "session \(tunnelID)/\(sessionID)" }
}

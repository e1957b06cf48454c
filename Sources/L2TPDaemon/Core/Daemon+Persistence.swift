import L2TPConfig

extension Daemon {
    /// A tunnel went down: a persistent one is retried after
    /// `tunnel_persist_pend_timeout`, unless the operator deleted it or we stop.
    func tunnelWentDown(_ record: TunnelRecord) {
        guard record.createdLocally, !isShuttingDown else { return }
        let key = PersistentTunnel.key(record.settings)
        guard var entry = persistentTunnels[key], entry.tunnelID == record.tunnelID else { return }
        entry.tunnelID = nil
        let now = clock()
        entry.heldSessions = []
        if !entry.sessions.isEmpty { entry.sessionsDownAt = now }
        let delay = UInt64(max(system.tunnelPersistPendTimeout, 1))
        entry.retryAt = now + delay * 1_000_000_000
        persistentTunnels[key] = entry
        logger.notice("persistent tunnel \(key): recreating in \(delay)s")
    }

    func retryPersistentTunnels(now: UInt64) {
        for (key, entry) in persistentTunnels {
            guard let retryAt = entry.retryAt, retryAt <= now else { continue }
            persistentTunnels[key]?.retryAt = nil
            do {
                let id = try startLocalTunnel(entry.settings, origin: entry.origin)
                persistentTunnels[key]?.tunnelID = id
                counters.tunnelsRecreated += 1
                logger.notice("persistent tunnel \(key): recreated as tunnel \(id)")
            } catch {
                let delay = UInt64(max(system.tunnelPersistPendTimeout, 1))
                persistentTunnels[key]?.retryAt = now + delay * 1_000_000_000
                logger.warning("persistent tunnel \(key): \(error); retrying in \(delay)s")
            }
        }
    }

    /// On tunnel up: open the sessions created for it before it was up, and
    /// for a recreated persistent tunnel, the sessions it had once they have
    /// been held for `session_persist_pend_timeout` since they went down.
    func restorePersistentSessions(for record: TunnelRecord) {
        guard record.createdLocally else { return }
        let queued = queuedSessions.removeValue(forKey: record.tunnelID) ?? []
        let key = PersistentTunnel.key(record.settings)
        guard queued.isEmpty, var entry = persistentTunnels[key], entry.tunnelID == record.tunnelID,
            !entry.sessions.isEmpty
        else {
            openRestoredSessions(queued, tunnelID: record.tunnelID)
            return
        }
        let now = clock()
        let hold = UInt64(max(system.sessionPersistPendTimeout, 0)) * 1_000_000_000
        let restoreAt = (entry.sessionsDownAt ?? now) + hold
        guard restoreAt > now else {
            openRestoredSessions(entry.sessions, tunnelID: record.tunnelID)
            return
        }
        entry.heldSessions = entry.sessions.map { HeldSession(command: $0, restoreAt: restoreAt) }
        persistentTunnels[key] = entry
        let seconds = (restoreAt - now + 999_999_999) / 1_000_000_000
        logger.notice(
            "persistent tunnel \(key): restoring \(entry.sessions.count) session(s) in \(seconds)s (session_persist_pend_timeout)"
        )
    }

    /// Timer: restores held sessions whose `session_persist_pend_timeout` has passed.
    func restoreHeldSessions(now: UInt64) {
        for (key, entry) in persistentTunnels {
            let due = entry.heldSessions.filter { $0.restoreAt <= now }
            guard !due.isEmpty else { continue }
            persistentTunnels[key]?.heldSessions.removeAll { $0.restoreAt <= now }
            guard let tunnelID = entry.tunnelID, tunnels[tunnelID]?.state == .established else { continue }
            logger.notice("persistent tunnel \(key): restoring \(due.count) session(s)")
            openRestoredSessions(due.map(\.command), tunnelID: tunnelID)
        }
    }

    /// A locally created session of an established persistent tunnel went
    /// down (CDN from the peer, establish timeout): it is retried after
    /// `session_persist_pend_timeout`. Not after `session delete`, which
    /// forgets it (`forgetPersistentSession`), nor while shutting down.
    func sessionWentDown(_ session: SessionRecord, tunnelID: UInt16) {
        guard !isShuttingDown, session.createdLocally, let command = session.origin,
            let record = tunnels[tunnelID], record.createdLocally, record.state == .established
        else { return }
        let key = PersistentTunnel.key(record.settings)
        guard var entry = persistentTunnels[key], entry.tunnelID == tunnelID, entry.sessions.contains(command) else {
            return
        }
        let hold = UInt64(max(system.sessionPersistPendTimeout, 1))
        entry.heldSessions.append(HeldSession(command: command, restoreAt: clock() + hold * 1_000_000_000))
        persistentTunnels[key] = entry
        logger.notice(
            "persistent tunnel \(key): session \(session.sessionID) down, retrying in \(hold)s (session_persist_pend_timeout)"
        )
    }

    /// `session delete`: the session is not restored with its tunnel any more.
    func forgetPersistentSession(_ session: SessionRecord, tunnelID: UInt16) {
        guard let command = session.origin, let record = tunnels[tunnelID] else { return }
        let key = PersistentTunnel.key(record.settings)
        guard persistentTunnels[key]?.tunnelID == tunnelID,
            let index = persistentTunnels[key]?.sessions.firstIndex(of: command)
        else { return }
        persistentTunnels[key]?.sessions.remove(at: index)
    }

    private func openRestoredSessions(_ requests: [ParsedCommand], tunnelID: UInt16) {
        for request in requests {
            do {
                _ = try openLocalSession(request, tunnelID: tunnelID)
            } catch {
                logger.warning("tunnel \(tunnelID): could not restore session: \(error)")
            }
        }
    }
}

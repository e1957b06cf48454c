import L2TPConfig

extension Daemon {
    /// A tunnel went down: a persistent one is retried after
    /// `tunnel_persist_pend_timeout`, unless the operator deleted it or we stop.
    func tunnelWentDown(_ record: TunnelRecord) {
        guard record.createdLocally, !isShuttingDown else { return }
        let key = PersistentTunnel.key(record.settings)
        guard var entry = persistentTunnels[key], entry.tunnelID == record.tunnelID else { return }
        entry.tunnelID = nil
        let delay = UInt64(max(system.tunnelPersistPendTimeout, 1))
        entry.retryAt = clock() + delay * 1_000_000_000
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
    /// for a recreated persistent tunnel, the sessions it had.
    func restorePersistentSessions(for record: TunnelRecord) {
        guard record.createdLocally else { return }
        var requests = queuedSessions.removeValue(forKey: record.tunnelID) ?? []
        let key = PersistentTunnel.key(record.settings)
        if let entry = persistentTunnels[key], entry.tunnelID == record.tunnelID, requests.isEmpty {
            requests = entry.sessions
        }
        for request in requests {
            do {
                _ = try openLocalSession(request, tunnelID: record.tunnelID)
            } catch {
                logger.warning("tunnel \(record.tunnelID): could not restore session: \(error)")
            }
        }
    }
}

import L2TPConfig

/// The limits of openl2tp-interface.md applied to requests from peers. Each
/// refusal carries the RFC 2661 result code that goes on the wire and a log
/// line naming the limit.
extension Daemon: AdmissionPolicy {
    public func admitTunnel(_ request: TunnelRequest) -> Admission<TunnelSettings> {
        trace(.function, "admitTunnel from \(request.peer) host '\(request.peerHostName)'")
        if let refusal = tunnelLimit(remote: true) {
            counters.tunnelsRefused += 1
            logger.warning(
                "refused tunnel from \(request.peer) host '\(request.peerHostName)': \(refusal.reason); StopCCN result code \(refusal.resultCode)\(refusal.errorCode.map { " error \($0)" } ?? "")"
            )
            return .refuse(refusal)
        }
        let address = IPv4Address(request.peer.address)
        do {
            let settings = try resolver.remoteTunnel(peerHostName: request.peerHostName, peerAddress: address)
            // Hook: tunnel created + authorize (plugins may refuse: StopCCN).
            if let refusal = pluginsAdmitTunnel(request, settings: settings) {
                counters.tunnelsRefused += 1
                logger.warning(
                    "refused tunnel \(request.tunnelID) from \(request.peer) host '\(request.peerHostName)': \(refusal.reason); StopCCN result code \(refusal.resultCode)\(refusal.errorCode.map { " error \($0)" } ?? "")"
                )
                return .refuse(refusal)
            }
            pendingRemoteTunnel = (request.peer, settings)
            return .accept(settings)
        } catch {
            counters.tunnelsRefused += 1
            logger.warning(
                "refused tunnel from \(request.peer) host '\(request.peerHostName)': \(error); StopCCN result code 2 error 6"
            )
            return .refuse(Refusal(resultCode: 2, errorCode: 6, reason: error.message))
        }
    }

    public func admitSession(_ request: SessionRequest) -> Admission<SessionSettings> {
        trace(.function, tunnel: request.tunnelID, "admitSession")
        guard let tunnel = tunnels[request.tunnelID] else {
            return .refuse(Refusal(resultCode: 2, errorCode: 1, reason: "no tunnel \(request.tunnelID)"))
        }
        if let refusal = sessionLimit(in: tunnel) {
            counters.sessionsRefused += 1
            logger.warning(
                "refused session from \(tunnel.peer) in tunnel \(request.tunnelID): \(refusal.reason); CDN result code \(refusal.resultCode)"
            )
            return .refuse(refusal)
        }
        do {
            var settings = try resolver.session(nil, tunnel: tunnel.settings)
            if settings.sessionType == nil { settings.sessionType = request.isOutgoingCall ? .laoc : .lnic }
            // Hook: session created + authorize (plugins may refuse: CDN).
            if let refusal = pluginsAdmitSession(request, tunnel: tunnel, settings: settings) {
                counters.sessionsRefused += 1
                logger.warning(
                    "refused session from \(tunnel.peer) in tunnel \(request.tunnelID): \(refusal.reason); CDN result code \(refusal.resultCode)"
                )
                return .refuse(refusal)
            }
            pendingRemoteSessions[request.tunnelID, default: [:]][request.peerSessionID] = settings
            return .accept(settings)
        } catch {
            logger.warning("refused session in tunnel \(request.tunnelID): \(error)")
            return .refuse(Refusal(resultCode: 2, errorCode: 6, reason: error.message))
        }
    }

    /// Why a new tunnel may not be created now, if it may not.
    /// RFC 2661 4.4.2: StopCCN result 4 "not authorized", 6 "being shut down",
    /// 2 "general error" with error 4 "insufficient resources".
    func tunnelLimit(remote: Bool) -> Refusal? {
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
        if system.maxTunnels > 0, tunnels.count >= system.maxTunnels {
            return Refusal(
                resultCode: 2, errorCode: 4, reason: "max_tunnels limit (\(system.maxTunnels)) reached",
                isCapacityLimit: true)
        }
        return nil
    }

    /// Why a new session may not be created in `tunnel` now.
    /// RFC 2661 4.4.2 CDN result 4 "temporary lack of facilities".
    func sessionLimit(in tunnel: TunnelRecord) -> Refusal? {
        if isShuttingDown {
            return Refusal(resultCode: 4, reason: "openl2tpd is shutting down")
        }
        if system.drainTunnels {
            return Refusal(resultCode: 4, reason: "drain_tunnels=yes")
        }
        if system.maxSessions > 0, sessionCount >= system.maxSessions {
            return Refusal(
                resultCode: 4, reason: "max_sessions limit (\(system.maxSessions)) reached (system)",
                isCapacityLimit: true)
        }
        if tunnel.settings.maxSessions > 0, tunnel.sessions.count >= tunnel.settings.maxSessions {
            return Refusal(
                resultCode: 4,
                reason: "max_sessions limit (\(tunnel.settings.maxSessions)) of tunnel \(tunnel.tunnelID) reached",
                isCapacityLimit: true)
        }
        return nil
    }
}

import L2TPPluginHost
import Logging

/// Hooks carried out by L2TPPluginHost (docs/plugins.md, "How openl2tpd must
/// call the host"). Confined to the event loop like the daemon; the host's
/// `log` and `actions` closures hop onto it.
public final class PluginHooks: DaemonHooks {
    public let host: PluginHost
    private let logger: Logger
    /// Said once: no plugin started PPP and the daemon has no pppd launcher yet.
    private var warnedNoPPP = false

    public init(host: PluginHost, logger: Logger) {
        self.host = host
        self.logger = logger
    }

    /// Loads every `-p` argument in order; the first failure is returned (fatal at start).
    public func load(_ arguments: [String]) throws(PluginLoadError) {
        for argument in arguments {
            try host.load(commandLineArgument: argument)
            logger.notice("plugin \(argument) loaded")
        }
    }

    static func info(_ t: TunnelRecord) -> L2TPPluginHost.TunnelInfo {
        L2TPPluginHost.TunnelInfo(
            tunnelID: t.tunnelID, peerTunnelID: t.peerTunnelID, localAddress: t.local?.dotted ?? "",
            localPort: t.local?.port ?? 0, peerAddress: t.peer.dotted, peerPort: t.peer.port,
            peerHostName: t.peerHostName, tunnelName: t.name, createdByPeer: !t.createdLocally)
    }

    static func socket(_ t: TunnelRecord) -> SocketInfo {
        SocketInfo(tunnelID: t.tunnelID, localAddress: t.local?.dotted ?? "", localPort: t.local?.port ?? 0,
                   peerAddress: t.peer.dotted, peerPort: t.peer.port)
    }

    static func info(_ s: SessionRecord, _ t: TunnelRecord) -> L2TPPluginHost.SessionInfo {
        let callType: L2TPPluginHost.SessionInfo.CallType
        switch s.settings.sessionType {
        case .laic?: callType = .lacIncoming
        case .laoc?: callType = .lacOutgoing
        case .lnic?: callType = .lnsIncoming
        case .lnoc?: callType = .lnsOutgoing
        case nil: callType = t.createdLocally ? .lacIncoming : .lnsIncoming
        }
        return L2TPPluginHost.SessionInfo(tunnelID: t.tunnelID, sessionID: s.sessionID, peerSessionID: s.peerSessionID,
                                          callType: callType, userName: s.settings.userName,
                                          interfaceName: s.settings.interfaceName)
    }

    private func refusal(_ decision: PluginDecision) -> String? {
        guard case .refuse(let r) = decision else { return nil }
        return "refused by plugin \(r.plugin ?? "host"): \(r.reason)"
    }

    public func tunnelCreated(_ tunnel: TunnelRecord) -> String? {
        // Created and, with the peer's host name known, authorized.
        refusal(tunnel.createdLocally ? host.tunnelCreated(Self.info(tunnel)) : host.admitTunnel(Self.info(tunnel)))
    }

    public func socketConnected(_ tunnel: TunnelRecord) { host.socketConnected(Self.socket(tunnel)) }
    public func tunnelUp(_ tunnel: TunnelRecord) { host.tunnelUp(Self.info(tunnel)) }
    public func tunnelDown(_ tunnel: TunnelRecord) { host.tunnelDown(Self.info(tunnel)) }
    public func socketDisconnected(_ tunnel: TunnelRecord) { host.socketDisconnected(Self.socket(tunnel)) }
    public func tunnelDeleted(_ tunnel: TunnelRecord) { host.tunnelDeleted(Self.info(tunnel)) }

    public func sessionCreated(_ session: SessionRecord, in tunnel: TunnelRecord) -> String? {
        refusal(host.admitSession(Self.info(session, tunnel)))
    }

    public func sessionUp(_ session: SessionRecord, in tunnel: TunnelRecord, pppSocket: Int32?) {
        let info = Self.info(session, tunnel)
        host.sessionUp(info)
        guard !session.settings.noPPP else { return }
        if case .failed(let plugin, let errno) = host.allocateAddresses(for: info) {
            logger.warning("session \(session.sessionID) in tunnel \(tunnel.tunnelID): address allocation by \(plugin) failed (\(errnoText(errno)))")
        }
        switch host.spawnPPP(for: info, pppol2tpSocket: pppSocket ?? -1) {
        case .spawned(let plugin):
            logger.info("session \(session.sessionID) in tunnel \(tunnel.tunnelID): PPP started by \(plugin)")
        case .notClaimed:
            if !warnedNoPPP {
                warnedNoPPP = true
                logger.warning("no plugin starts PPP and this build has no pppd launcher yet: sessions carry no PPP (load ppp_null to say so explicitly)")
            }
        case .failed(let plugin, let errno):
            logger.warning("session \(session.sessionID) in tunnel \(tunnel.tunnelID): PPP spawn by \(plugin) failed (\(errnoText(errno)))")
        case .notDelivered(let reason):
            logger.warning("session \(session.sessionID): \(reason)")
        }
    }

    public func sessionDown(_ session: SessionRecord, in tunnel: TunnelRecord) {
        let info = Self.info(session, tunnel)
        host.sessionDown(info)
        host.sessionDeleted(info)
    }

    public func unloadAll() { host.unloadAll() }
}

extension Daemon {
    /// What a plugin asked for (from any thread, delivered on the loop).
    public func carryOut(_ action: PluginAction) {
        switch action {
        case .closeTunnel(let tunnelID, let reason, let plugin):
            guard tunnels[tunnelID] != nil else { return }
            logger.notice("tunnel \(tunnelID): closed at the request of plugin \(plugin): \(reason)")
            deleteTunnel(tunnelID)
        case .closeSession(let tunnelID, let sessionID, let reason, let plugin):
            guard tunnels[tunnelID]?.sessions[sessionID] != nil else { return }
            logger.notice("session \(sessionID) in tunnel \(tunnelID): closed at the request of plugin \(plugin): \(reason)")
            perform(engine.closeSession(sessionID, in: tunnelID, now: clock()))
        }
    }
}

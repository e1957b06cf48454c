import L2TPConfig

/// Maps L2TPConfig's resolved profiles (which profile applies and
/// inheritance are L2TPConfig's: `ProfileStore.resolve*`) onto the daemon's
/// `TunnelSettings`/`SessionSettings`, adding the system settings that
/// belong to each (establish timeouts) and `-D`.
public struct SettingsResolver: Sendable {
    /// System settings and profiles; replaced wholesale on SIGHUP.
    public var model: ConfigModel
    /// `-D`: all trace flags on entities using the default profiles.
    public var traceDefaultProfiles: Bool

    public init(model: ConfigModel = ConfigModel(), traceDefaultProfiles: Bool = false) {
        self.model = model
        self.traceDefaultProfiles = traceDefaultProfiles
    }

    public var system: SystemSettings { model.system }
    public var profiles: ProfileStore { model.profiles }

    // MARK: - Tunnels

    /// Settings for `tunnel create` (a locally created tunnel).
    public func localTunnel(_ request: ParsedCommand) throws(DaemonError) -> TunnelSettings {
        let resolved: ResolvedTunnel
        do { resolved = try profiles.resolveLocalTunnel(request) } catch { throw DaemonError(modelError: error) }
        var settings = tunnel(resolved)
        settings.tunnelName = request.string(.tunnelName)
        settings.configID = request.integer(.configID) ?? 0
        settings.destination = request[.destIPAddress]?.ipv4Value
        return settings
    }

    /// Settings for a tunnel a peer asks for (SCCRQ): the peer profile
    /// chosen by host name or address names the tunnel profile.
    public func remoteTunnel(peerHostName: String?, peerAddress: IPv4Address) throws(DaemonError) -> TunnelSettings {
        let resolved: ResolvedTunnel
        do {
            resolved = try profiles.resolveIncomingTunnel(hostName: peerHostName, address: peerAddress)
        } catch {
            throw DaemonError(modelError: error)
        }
        var settings = tunnel(resolved)
        settings.destination = peerAddress
        return settings
    }

    func tunnel(_ resolved: ResolvedTunnel) -> TunnelSettings {
        let p = resolved.settings
        var s = TunnelSettings()
        s.resolvedProfiles = resolved
        s.tunnelProfileName = p.name
        s.peerProfileName = resolved.peerProfile.name
        s.sessionProfileName = resolved.sessionProfileName
        s.pppProfileName = resolved.pppProfileName
        s.source = p.srcIPAddress
        s.peerUDPPort = p.peerUDPPort
        s.ourUDPPort = p.ourUDPPort
        s.hostName = p.hostName
        s.secret = p.secret
        s.authMode = p.authMode
        s.hideAVPs = p.hideAVPs
        s.framingCaps = p.framingCaps
        s.bearerCaps = p.bearerCaps
        s.useTiebreaker = p.useTiebreaker
        s.allowPPPProxy = p.allowPPPProxy
        s.rxWindowSize = p.rxWindowSize
        s.txWindowSize = p.txWindowSize
        s.helloTimeout = p.helloTimeout
        s.maxRetries = p.maxRetries
        s.retryTimeout = p.retryTimeout
        s.persist = p.persist
        s.idleTimeout = p.idleTimeout
        s.maxSessions = p.maxSessions
        s.mtu = p.mtu
        s.useUDPChecksums = p.useUDPChecksums
        s.traceFlags = p.traceFlags
        if traceDefaultProfiles, p.isDefault { s.traceFlags = .all }
        s.establishTimeout = system.tunnelEstablishTimeout
        return s
    }

    // MARK: - Sessions

    /// Settings for a session in a tunnel with `tunnel` settings: `request`
    /// is the `session create` (nil for a session the peer asks for).
    public func session(_ request: ParsedCommand?, tunnel: TunnelSettings) throws(DaemonError) -> SessionSettings {
        let resolvedTunnel = try self.resolvedTunnel(for: tunnel)
        let resolved: ResolvedSession
        do { resolved = try profiles.resolveSession(in: resolvedTunnel, request: request) } catch {
            throw DaemonError(modelError: error)
        }
        let p = resolved.settings
        var s = SessionSettings()
        s.sessionProfileName = p.name
        s.pppProfileName = resolved.ppp.name
        s.sessionName = request?.string(.sessionName)
        s.sessionType = p.sessionType
        s.sequencingRequired = p.sequencingRequired
        s.useSequenceNumbers = p.useSequenceNumbers
        s.reorderTimeout = p.reorderTimeout
        s.framingType = p.framingType
        s.bearerType = p.bearerType
        s.minimumBPS = p.minimumBPS
        s.maximumBPS = p.maximumBPS
        s.txConnectSpeed = p.connectSpeed.speed
        s.rxConnectSpeed = p.connectSpeed.txSpeed
        s.privateGroupID = p.privateGroupID
        s.traceFlags = p.traceFlags
        if traceDefaultProfiles, p.isDefault { s.traceFlags = .all }
        s.userName = request?.string(.userName)
        s.userPassword = request?.string(.userPassword)
        s.interfaceName = request?.string(.interfaceName)
        s.noPPP = request?[.noPPP]?.boolValue ?? false
        s.establishTimeout = system.sessionEstablishTimeout
        return s
    }

    /// The tunnel's profiles as resolved when it was created (a SIGHUP does
    /// not change live tunnels); a bare `TunnelSettings` gets the defaults.
    private func resolvedTunnel(for tunnel: TunnelSettings) throws(DaemonError) -> ResolvedTunnel {
        if let resolved = tunnel.resolvedProfiles { return resolved }
        do {
            return try profiles.resolveIncomingTunnel(hostName: nil, address: tunnel.destination ?? IPv4Address(0))
        } catch {
            throw DaemonError(modelError: error)
        }
    }
}

import L2TPConfig

/// Maps profiles, system settings and a command's own arguments onto
/// `TunnelSettings`/`SessionSettings`. Precedence, highest first: the
/// command's argument, the named profile, the `default` profile, the
/// parameter table default (openl2tp-interface.md, "Profiles: which one applies").
public struct SettingsResolver: Sendable {
    public var profiles: ProfileSet
    public var system: SystemSettings
    /// `-D`: all trace flags on the default profiles.
    public var traceDefaultProfiles: Bool

    public init(profiles: ProfileSet, system: SystemSettings, traceDefaultProfiles: Bool = false) {
        self.profiles = profiles
        self.system = system
        self.traceDefaultProfiles = traceDefaultProfiles
    }

    // MARK: - Tunnels

    /// Settings for `tunnel create` (a locally created tunnel).
    public func localTunnel(_ arguments: [ParameterName: ConfigValue]) throws(DaemonError) -> TunnelSettings {
        let profile = arguments[.profileName]?.stringValue ?? ProfileSet.defaultName
        guard profiles.exists(.tunnel, profile) else { throw .notFound("tunnel profile '\(profile)'") }
        var settings = tunnel(profile: profile, arguments: arguments)
        settings.tunnelName = arguments[.tunnelName]?.stringValue
        settings.configID = arguments[.configID]?.integerValue ?? 0
        settings.destination = arguments[.destIPAddress]?.ipv4Value
        if let peer = settings.peerProfileName, !profiles.exists(.peer, peer) { throw .notFound("peer profile '\(peer)'") }
        if let session = settings.sessionProfileName, !profiles.exists(.session, session) { throw .notFound("session profile '\(session)'") }
        if let ppp = settings.pppProfileName, !profiles.exists(.ppp, ppp) { throw .notFound("ppp profile '\(ppp)'") }
        if settings.hideAVPs, (settings.secret ?? "").isEmpty {
            throw .invalidCommand("hide_avps=yes needs a secret (RFC 2661 4.3)")
        }
        if settings.authMode == .challenge, (settings.secret ?? "").isEmpty {
            throw .invalidCommand("auth_mode=challenge needs a secret")
        }
        return settings
    }

    /// Settings for a tunnel a peer asks for (SCCRQ): the peer profile
    /// chosen by host name or address names the tunnel profile.
    public func remoteTunnel(peerHostName: String?, peerAddress: IPv4Address) -> TunnelSettings {
        let peer = profiles.peerProfile(hostName: peerHostName, address: peerAddress)
        var tunnelProfile = profiles.value(.tunnelProfileName, in: .peer, profile: peer).stringValue ?? ProfileSet.defaultName
        if !profiles.exists(.tunnel, tunnelProfile) { tunnelProfile = ProfileSet.defaultName }
        var settings = tunnel(profile: tunnelProfile, arguments: [:])
        settings.peerProfileName = peer
        settings.destination = peerAddress
        if settings.sessionProfileName == nil {
            settings.sessionProfileName = profiles.value(.sessionProfileName, in: .peer, profile: peer).stringValue
        }
        if settings.pppProfileName == nil {
            settings.pppProfileName = profiles.value(.pppProfileName, in: .peer, profile: peer).stringValue
        }
        return settings
    }

    private func tunnel(profile: String, arguments: [ParameterName: ConfigValue]) -> TunnelSettings {
        func value(_ name: ParameterName) -> ConfigValue {
            if let given = arguments[name], given != .notSet { return given }
            return profiles.value(name, in: .tunnel, profile: profile)
        }
        var s = TunnelSettings()
        s.tunnelProfileName = profile
        s.source = value(.srcIPAddress).ipv4Value
        s.peerUDPPort = value(.peerUDPPort).integerValue ?? 1701
        s.ourUDPPort = value(.ourUDPPort).integerValue
        s.hostName = value(.hostName).stringValue
        s.secret = value(.secret).stringValue
        s.authMode = value(.authMode).choiceValue(L2TPConfig.TunnelAuthMode.self) ?? .none
        s.hideAVPs = value(.hideAVPs).boolValue ?? false
        s.framingCaps = value(.framingCaps).choiceValue(L2TPConfig.FramingCapabilities.self) ?? .any
        s.bearerCaps = value(.bearerCaps).choiceValue(L2TPConfig.BearerCapabilities.self) ?? .any
        s.useTiebreaker = value(.useTiebreaker).boolValue ?? false
        s.allowPPPProxy = value(.allowPPPProxy).boolValue ?? false
        s.rxWindowSize = value(.rxWindowSize).integerValue ?? 10
        s.txWindowSize = value(.txWindowSize).integerValue ?? 10
        s.helloTimeout = value(.helloTimeout).integerValue ?? 60
        s.maxRetries = value(.maxRetries).integerValue ?? 5
        s.retryTimeout = value(.retryTimeout).integerValue ?? 1
        s.persist = value(.persist).boolValue ?? false
        s.idleTimeout = value(.idleTimeout).integerValue ?? 0
        s.maxSessions = value(.maxSessions).integerValue ?? 0
        s.mtu = value(.mtu).integerValue ?? 1460
        s.useUDPChecksums = value(.useUDPChecksums).boolValue ?? true
        s.traceFlags = value(.traceFlags).traceFlagsValue ?? .none
        if traceDefaultProfiles, profile == ProfileSet.defaultName { s.traceFlags = .all }
        s.peerProfileName = value(.peerProfileName).stringValue
        s.sessionProfileName = value(.sessionProfileName).stringValue
        s.pppProfileName = value(.pppProfileName).stringValue
        s.establishTimeout = system.tunnelEstablishTimeout
        return s
    }

    // MARK: - Sessions

    /// Settings for a session in `tunnel`: `session create` arguments (empty
    /// for a session the peer asks for), else the session profile named by
    /// the command, else the tunnel's, else `default`.
    public func session(_ arguments: [ParameterName: ConfigValue], tunnel: TunnelSettings) throws(DaemonError) -> SessionSettings {
        let profile = arguments[.profileName]?.stringValue ?? tunnel.sessionProfileName ?? ProfileSet.defaultName
        guard profiles.exists(.session, profile) else { throw .notFound("session profile '\(profile)'") }
        func value(_ name: ParameterName) -> ConfigValue {
            if let given = arguments[name], given != .notSet { return given }
            return profiles.value(name, in: .session, profile: profile)
        }
        var s = SessionSettings()
        s.sessionProfileName = profile
        s.sessionName = arguments[.sessionName]?.stringValue
        s.sessionType = value(.sessionType).choiceValue(SessionType.self)
        s.sequencingRequired = value(.sequencingRequired).boolValue ?? false
        s.useSequenceNumbers = value(.useSequenceNumbers).boolValue ?? false
        s.reorderTimeout = value(.reorderTimeout).integerValue ?? 0
        s.framingType = value(.framingType).choiceValue(FramingType.self) ?? .sync
        s.bearerType = value(.bearerType).choiceValue(BearerType.self) ?? .none
        s.minimumBPS = value(.minimumBPS).integerValue ?? 0
        s.maximumBPS = value(.maximumBPS).integerValue ?? 0
        if let speed = value(.connectSpeed).connectSpeedValue {
            s.txConnectSpeed = speed.speed
            s.rxConnectSpeed = speed.txSpeed
        }
        s.privateGroupID = value(.privateGroupID).stringValue
        s.traceFlags = value(.traceFlags).traceFlagsValue ?? .none
        if traceDefaultProfiles, profile == ProfileSet.defaultName { s.traceFlags = .all }
        // PPP profile: the request, else the session profile, else the tunnel's.
        s.pppProfileName = arguments[.pppProfileName]?.stringValue
            ?? profiles.values(.session, profile)?[.pppProfileName]?.stringValue
            ?? tunnel.pppProfileName
            ?? ProfileSet.defaultName
        guard profiles.exists(.ppp, s.pppProfileName) else { throw .notFound("ppp profile '\(s.pppProfileName)'") }
        s.userName = arguments[.userName]?.stringValue
        s.userPassword = arguments[.userPassword]?.stringValue
        s.interfaceName = arguments[.interfaceName]?.stringValue
        s.noPPP = arguments[.noPPP]?.boolValue ?? false
        s.establishTimeout = system.sessionEstablishTimeout
        return s
    }
}

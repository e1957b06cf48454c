extension ProfileStore {
    /// A tunnel created by the peer: the peer profile is chosen by host name
    /// and address, the tunnel profile is the one the peer profile names.
    public func resolveIncomingTunnel(hostName: String?, address: IPv4Address) throws(ConfigError) -> ResolvedTunnel {
        let peer = selectPeerProfile(hostName: hostName, address: address)
        return try resolveTunnel(tunnelProfileName: peer.tunnelProfileName, peer: peer, overrides: [:])
    }

    /// A tunnel created by `tunnel create`: the tunnel profile is the request's
    /// `profile_name` (else `default`); the peer profile is the request's or
    /// the tunnel profile's `peer_profile_name`, else the one selected for
    /// `dest_ipaddr`. Request arguments override the tunnel profile.
    public func resolveLocalTunnel(_ request: ParsedCommand) throws(ConfigError) -> ResolvedTunnel {
        let profileName = request.string(.profileName) ?? "default"
        guard let tunnelProfile = tunnelProfiles[profileName] else {
            throw ConfigError.profileNotFound(.tunnel, profileName, referencedBy: "profile_name").located(
                at: request.location(of: .profileName))
        }
        let peer: PeerProfile
        if let peerName = request.string(.peerProfileName) ?? tunnelProfile.peerProfileName {
            guard let named = peerProfiles[peerName] else {
                throw ConfigError.profileNotFound(.peer, peerName, referencedBy: "peer_profile_name").located(
                    at: request.location(of: .peerProfileName))
            }
            peer = named
        } else if let address = request[.destIPAddress]?.ipv4Value {
            peer = selectPeerProfile(hostName: nil, address: address)
        } else {
            peer = peerProfiles["default"] ?? PeerProfile(name: "default")
        }
        do throws(ConfigError) {
            return try resolveTunnel(tunnelProfileName: profileName, peer: peer, overrides: request.arguments)
        } catch {
            throw error.located(at: request.location)
        }
    }

    /// A session in a resolved tunnel. The session profile is the request's
    /// `profile_name`, else the tunnel's, else the peer profile's; the PPP
    /// profile the request's `ppp_profile_name`, else the session profile's,
    /// else the tunnel's, else the peer profile's.
    public func resolveSession(in tunnel: ResolvedTunnel, request: ParsedCommand? = nil) throws(ConfigError)
        -> ResolvedSession
    {
        let sessionName = request?.string(.profileName) ?? tunnel.sessionProfileName
        guard var session = sessionProfiles[sessionName] else {
            throw ConfigError.profileNotFound(
                .session, sessionName,
                referencedBy: request?.string(.profileName) != nil ? "profile_name" : "the tunnel"
            )
            .located(at: request?.location(of: .profileName))
        }
        let pppName = request?.string(.pppProfileName) ?? session.pppProfileName ?? tunnel.pppProfileName
        guard let ppp = pppProfiles[pppName] else {
            throw ConfigError.profileNotFound(.ppp, pppName, referencedBy: "ppp_profile_name").located(
                at: request?.location(of: .pppProfileName))
        }
        if let request {
            var overrides = request.arguments
            overrides[.pppProfileName] = .string(pppName)
            try session.apply(overrides, what: "session create", ignoringOthers: true)
        }
        return ResolvedSession(settings: session, ppp: ppp)
    }

    private func resolveTunnel(
        tunnelProfileName: String, peer: PeerProfile,
        overrides: [ParameterName: ConfigValue]
    ) throws(ConfigError) -> ResolvedTunnel {
        guard var settings = tunnelProfiles[tunnelProfileName] else {
            throw .profileNotFound(
                .tunnel, tunnelProfileName, referencedBy: "tunnel_profile_name of peer profile '\(peer.name)'")
        }
        try settings.apply(overrides, what: "tunnel create", ignoringOthers: true)
        if settings.hideAVPs && settings.secret == nil {
            throw .conflicting("hide_avps: hiding AVPs needs a secret (RFC 2661 4.3); set secret", at: nil)
        }
        if settings.authMode == .challenge && settings.secret == nil {
            throw .conflicting(
                "auth_mode: challenge authentication needs a secret (RFC 2661 4.4.3); set secret", at: nil)
        }
        return ResolvedTunnel(
            peerProfile: peer,
            settings: settings,
            sessionProfileName: settings.sessionProfileName ?? peer.sessionProfileName,
            pppProfileName: settings.pppProfileName ?? peer.pppProfileName)
    }
}

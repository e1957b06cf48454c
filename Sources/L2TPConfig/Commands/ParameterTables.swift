/// The parameter tables of every command, with types, defaults and help.
/// Names and defaults follow OpenL2TP 1.8 (see docs/configuration.md); the
/// help texts are ours.
public enum ParameterTables {
    static let seconds86400 = 0...86_400
    static let nameLength = 63
    static let textLength = 255

    // MARK: - System

    public static let system: [ParameterSpec] = [
        ParameterSpec(.traceFlags, .traceFlags, default: .traceFlags(.none), "system-wide trace categories"),
        ParameterSpec(.maxTunnels, .integer(0...65_535), default: .integer(0), "most tunnels at once, 0 for no limit"),
        ParameterSpec(
            .maxSessions, .integer(0...65_535), default: .integer(0),
            "most sessions at once over all tunnels, 0 for no limit"),
        ParameterSpec(
            .maxHalfOpenTunnels, .integer(1...65_535), default: .integer(4096),
            "most tunnels peers asked for that are not yet established; beyond it the oldest is dropped"),
        ParameterSpec(
            .drainTunnels, .bool, default: .bool(false), "refuse new tunnels and sessions while existing ones wind down"
        ),
        ParameterSpec(
            .tunnelEstablishTimeout, .duration(seconds86400), default: .seconds(120),
            "give up on a tunnel not established within this time"),
        ParameterSpec(
            .sessionEstablishTimeout, .duration(seconds86400), default: .seconds(120),
            "give up on a session (and its PPP) not up within this time"),
        ParameterSpec(
            .tunnelPersistPendTimeout, .duration(seconds86400), default: .seconds(300),
            "wait this long before recreating a failed persistent tunnel"),
        ParameterSpec(
            .sessionPersistPendTimeout, .duration(seconds86400), default: .seconds(60),
            "wait this long before restoring sessions of a recreated tunnel"),
        ParameterSpec(
            .denyLocalTunnelCreates, .bool, default: .bool(false), "refuse tunnel create requests from management"),
        ParameterSpec(
            .denyRemoteTunnelCreates, .bool, default: .bool(false),
            "refuse tunnels set up by peers (turns the LNS side off)"),
        ParameterSpec(
            .resetStatistics, .bool, default: .bool(false),
            "clear the message statistics now (an action, not a setting)"),
    ]

    // MARK: - Tunnels

    static let tunnelID = ParameterSpec(.tunnelID, .integer(1...65_535), "tunnel id as chosen by this host")
    static let tunnelName = ParameterSpec(
        .tunnelName, .string(maxLength: nameLength), "administrative name of the tunnel")
    static let sessionID = ParameterSpec(.sessionID, .integer(1...65_535), "session id as chosen by this host")
    static let sessionName = ParameterSpec(
        .sessionName, .string(maxLength: nameLength), "administrative name of the session")

    /// Parameters `tunnel modify` can change on a live tunnel; also part of
    /// `tunnel create` and of tunnel profiles.
    public static let tunnelModifiable: [ParameterSpec] = [
        ParameterSpec(.traceFlags, .traceFlags, default: .traceFlags(.none), "trace categories for this tunnel"),
        ParameterSpec(.useUDPChecksums, .bool, default: .bool(true), "compute UDP checksums on sent packets"),
        ParameterSpec(
            .persist, .bool, default: .bool(false), "recreate the tunnel (and its local sessions) when it fails"),
        ParameterSpec(
            .helloTimeout, .duration(0...3_600), default: .seconds(60),
            "send HELLO after this long without traffic, 0 for never"),
        ParameterSpec(
            .maxRetries, .integer(1...100), default: .integer(5), "retransmissions before the tunnel is declared down"),
        ParameterSpec(
            .retryTimeout, .duration(1...60), default: .seconds(1), "first retransmission delay, doubling up to 8 s"),
        ParameterSpec(
            .idleTimeout, .duration(seconds86400), default: .seconds(0),
            "close the tunnel this long after its last session, 0 for never"),
        ParameterSpec(
            .maxSessions, .integer(0...65_535), default: .integer(0), "most sessions in this tunnel, 0 for no limit"),
        ParameterSpec(
            .mtu, .integer(128...65_535), default: .integer(1460), "largest PPP frame carried, caps the PPP MTU"),
        ParameterSpec(
            .peerProfileName, .string(maxLength: nameLength), notSet: "chosen by peer address",
            "peer profile to use for this tunnel"),
        ParameterSpec(
            .sessionProfileName, .string(maxLength: nameLength), notSet: "from the peer profile",
            "session profile for sessions in this tunnel"),
        ParameterSpec(
            .pppProfileName, .string(maxLength: nameLength), notSet: "from the peer profile",
            "PPP profile for sessions in this tunnel"),
    ]

    /// Everything a tunnel profile holds.
    public static let tunnelProfile: [ParameterSpec] =
        [
            ParameterSpec(.srcIPAddress, .ipv4Address, notSet: "chosen by routing", "local address to send from"),
            ParameterSpec(.peerUDPPort, .integer(1...65_535), default: .integer(1701), "UDP port of the peer"),
            ParameterSpec(
                .ourUDPPort, .integer(1...65_535), notSet: "ephemeral",
                "local UDP port; unset for an ephemeral port per tunnel"),
            ParameterSpec(
                .useTiebreaker, .bool, default: .bool(false),
                "send a Tie Breaker AVP to resolve simultaneous tunnel setups"),
            ParameterSpec(
                .allowPPPProxy, .bool, default: .bool(false), "accept proxied LCP and authentication from a LAC"),
            ParameterSpec(
                .framingCaps, .choice(FramingCapabilities.self), default: .choice("any"),
                "framing capabilities we announce"),
            ParameterSpec(
                .bearerCaps, .choice(BearerCapabilities.self), default: .choice("any"),
                "bearer capabilities we announce"),
            ParameterSpec(
                .hostName, .string(maxLength: textLength), notSet: "this system's host name", "Host Name AVP we send"),
            ParameterSpec(
                .secret, .string(maxLength: textLength), "shared tunnel secret for challenge auth and hidden AVPs"),
            ParameterSpec(
                .authMode, .choice(TunnelAuthMode.self), default: .choice("none"),
                "tunnel authentication: none, simple (host name) or challenge"),
            ParameterSpec(.hideAVPs, .bool, default: .bool(false), "hide sensitive AVPs (needs a secret)"),
            ParameterSpec(
                .rxWindowSize, .integer(1...65_535), default: .integer(10),
                "control messages we accept before acknowledging"),
            ParameterSpec(
                .txWindowSize, .integer(1...65_535), default: .integer(10),
                "most unacknowledged control messages we send"),
            ParameterSpec(
                .doPMTUDiscovery, .bool, default: .bool(false), "set Don't Fragment and follow path MTU changes"),
        ] + tunnelModifiable

    public static let tunnelCreate: [ParameterSpec] =
        [
            ParameterSpec(.destIPAddress, .ipv4Address, "address of the peer").required(),
            tunnelName,
            ParameterSpec(
                .configID, .integer(0...65_535), default: .integer(0), "tells apart several tunnels to the same peer"),
            ParameterSpec(
                .profileName, .string(maxLength: nameLength), default: .string("default"),
                "tunnel profile to start from"),
        ] + tunnelProfile

    // MARK: - Sessions

    /// Everything a session profile holds.
    public static let sessionProfile: [ParameterSpec] = [
        ParameterSpec(.traceFlags, .traceFlags, default: .traceFlags(.none), "trace categories for this session"),
        ParameterSpec(.sequencingRequired, .bool, default: .bool(false), "ask the peer to number data packets"),
        ParameterSpec(.useSequenceNumbers, .bool, default: .bool(false), "number the data packets we send"),
        ParameterSpec(
            .reorderTimeout, .integer(0...60_000), default: .integer(0),
            "milliseconds to hold out-of-order data, 0 for no reordering"),
        ParameterSpec(
            .sessionType, .choice(SessionType.self), notSet: "from the tunnel's role (LAC: laic, LNS: lnoc)",
            "LAC/LNS incoming/outgoing call"),
        ParameterSpec(.privateGroupID, .string(maxLength: nameLength), "Private Group ID AVP value"),
        ParameterSpec(.framingType, .choice(FramingType.self), default: .choice("sync"), "framing type of the call"),
        ParameterSpec(
            .bearerType, .choice(BearerType.self), default: .choice("none"), "bearer type of the call, none to omit it"),
        ParameterSpec(
            .minimumBPS, .integer(0...Int(UInt32.max)), default: .integer(0), "lowest acceptable speed (outgoing calls)"
        ),
        ParameterSpec(
            .maximumBPS, .integer(0...Int(UInt32.max)), default: .integer(0),
            "highest acceptable speed (outgoing calls), 0 for any"),
        ParameterSpec(
            .connectSpeed, .connectSpeed, default: .connectSpeed(ConnectSpeed(speed: 1_000_000)),
            "reported connect speed, speed[:txspeed]"),
        ParameterSpec(.usePPPProxy, .bool, default: .bool(false), "pass proxied LCP and authentication to the LNS"),
        ParameterSpec(
            .pppProfileName, .string(maxLength: nameLength), notSet: "from the tunnel", "PPP profile for this session"),
    ]

    public static let sessionCreate: [ParameterSpec] =
        [
            tunnelID, tunnelName, sessionName,
            ParameterSpec(
                .profileName, .string(maxLength: nameLength), notSet: "from the tunnel", "session profile to start from"
            ),
            ParameterSpec(
                .interfaceName, .string(maxLength: 15), notSet: "chosen by pppd", "name of the PPP network interface"),
            ParameterSpec(.userName, .string(maxLength: textLength), "PPP user name to log in with"),
            ParameterSpec(.userPassword, .string(maxLength: textLength), "PPP password to log in with"),
            ParameterSpec(.noPPP, .bool, default: .bool(false), "set up the session without running PPP"),
        ] + sessionProfile

    public static let sessionModify: [ParameterSpec] =
        [
            tunnelID, tunnelName, sessionID, sessionName,
        ]
        + sessionProfile.filter {
            [.traceFlags, .sequencingRequired, .useSequenceNumbers, .reorderTimeout].contains($0.name)
        }

    // MARK: - PPP

    static func count(_ name: ParameterName, _ range: ClosedRange<Int>, _ value: Int, _ help: String) -> ParameterSpec {
        ParameterSpec(name, .integer(range), default: .integer(value), help)
    }

    static func duration(_ name: ParameterName, _ range: ClosedRange<Int>, _ value: Int, _ help: String)
        -> ParameterSpec
    {
        ParameterSpec(name, .duration(range), default: .seconds(value), help)
    }

    static func flag(_ name: ParameterName, _ value: Bool, _ help: String) -> ParameterSpec {
        ParameterSpec(name, .bool, default: .bool(value), help)
    }

    static func address(_ name: ParameterName, _ help: String) -> ParameterSpec {
        ParameterSpec(name, .ipv4Address, help)
    }

    /// Everything a PPP profile holds (passed to pppd by the ppp_unix plugin).
    public static let pppProfile: [ParameterSpec] = [
        ParameterSpec(.traceFlags, .traceFlags, default: .traceFlags(.none), "trace categories for PPP (pppd debug)"),
        count(.asyncMap, 0...Int(UInt32.max), 0, "async control character map"),
        count(.mtu, 64...65_535, 1500, "PPP MTU (never above the tunnel MTU)"),
        count(.mru, 64...65_535, 1500, "PPP MRU"),
        ParameterSpec(
            .syncMode, .choice(PPPSyncMode.self), default: .choice("any"),
            "PPP framing: sync, async or whatever the session uses"),
        flag(.authPAP, true, "allow PAP"),
        flag(.authCHAP, true, "allow CHAP"),
        flag(.authMSCHAPv1, true, "allow MS-CHAP"),
        flag(.authMSCHAPv2, true, "allow MS-CHAPv2"),
        flag(.authEAP, true, "allow EAP"),
        flag(.authNone, false, "allow no authentication at all"),
        flag(.authPeer, false, "require the peer to authenticate itself"),
        duration(.chapInterval, seconds86400, 0, "rechallenge the peer this often, 0 for never"),
        count(.chapMaxChallenge, 1...100, 10, "CHAP challenges sent before giving up"),
        duration(.chapRestart, 1...60, 3, "CHAP challenge retransmit time"),
        count(.papMaxAuthRequests, 1...100, 10, "PAP requests sent before giving up"),
        duration(.papRestartInterval, 1...60, 3, "PAP request retransmit time"),
        duration(.papTimeout, 0...3_600, 0, "time to wait for the peer's PAP request, 0 for no limit"),
        duration(.idleTimeout, seconds86400, 0, "disconnect after this long without traffic, 0 for never"),
        count(.ipcpMaxConfigRequests, 1...100, 10, "IPCP Configure-Requests before giving up"),
        count(.ipcpMaxConfigNaks, 1...100, 10, "IPCP Configure-Naks before rejecting"),
        count(.ipcpMaxTerminateRequests, 1...100, 3, "IPCP Terminate-Requests before giving up"),
        duration(.ipcpRetransmitInterval, 1...60, 3, "IPCP retransmit time"),
        count(.lcpEchoFailureCount, 0...100, 0, "missed LCP echo replies before disconnecting, 0 to ignore"),
        duration(.lcpEchoInterval, 0...3_600, 0, "send an LCP echo request this often, 0 for never"),
        count(.lcpMaxConfigRequests, 1...100, 10, "LCP Configure-Requests before giving up"),
        count(.lcpMaxConfigNaks, 1...100, 10, "LCP Configure-Naks before rejecting"),
        count(.lcpMaxTerminateRequests, 1...100, 3, "LCP Terminate-Requests before giving up"),
        duration(.lcpRetransmitInterval, 1...60, 3, "LCP retransmit time"),
        duration(.maxConnectTime, 0...31_536_000, 0, "disconnect after this long connected, 0 for no limit"),
        count(.maxFailureCount, 0...100, 10, "consecutive failed connection attempts tolerated, 0 for no limit"),
        ParameterSpec(.ipPoolName, .string(maxLength: nameLength), "ippoold pool to take the peer's address from"),
        address(.localIPAddress, "our end's PPP address"),
        address(.remoteIPAddress, "the peer's PPP address"),
        address(.dnsIPAddressPrimary, "primary DNS server offered to the peer"),
        address(.dnsIPAddressSecondary, "secondary DNS server offered to the peer"),
        address(.winsIPAddressPrimary, "primary WINS server offered to the peer"),
        address(.winsIPAddressSecondary, "secondary WINS server offered to the peer"),
        flag(.useRADIUS, false, "authenticate and account through pppd's RADIUS plugin"),
        ParameterSpec(
            .radiusHint, .string(maxLength: 4_095), notSet: "the default radiusclient.conf",
            "radiusclient configuration file to use"),
        ParameterSpec(.localName, .string(maxLength: textLength), "our name for PPP authentication"),
        ParameterSpec(.remoteName, .string(maxLength: textLength), "the peer's name for PPP authentication"),
        flag(.defaultRoute, false, "add a default route through the PPP link"),
        flag(.multilink, false, "negotiate PPP multilink"),
        flag(.proxyARP, false, "answer ARP for the peer's address on the LAN"),
    ]

    // MARK: - Peers

    /// Everything a peer profile holds.
    public static let peerProfile: [ParameterSpec] = [
        ParameterSpec(
            .peerIPAddress, .ipv4Address, notSet: "matches by name only",
            "peer address (or network with netmask) this profile applies to"),
        ParameterSpec(.peerPort, .integer(1...65_535), default: .integer(1701), "UDP port of the peer"),
        ParameterSpec(.netmask, .netmask, default: .netmask(.host), "mask applied to peer_ipaddr when matching"),
        ParameterSpec(.lacLNS, .choice(PeerRole.self), default: .choice("laclns"), "roles we accept with this peer"),
        ParameterSpec(
            .tunnelProfileName, .string(maxLength: nameLength), default: .string("default"),
            "tunnel profile for tunnels with this peer"),
        ParameterSpec(
            .sessionProfileName, .string(maxLength: nameLength), default: .string("default"),
            "session profile for sessions with this peer"),
        ParameterSpec(
            .pppProfileName, .string(maxLength: nameLength), default: .string("default"),
            "PPP profile for sessions with this peer"),
    ]

    public static func profile(_ kind: ProfileKind) -> [ParameterSpec] {
        switch kind {
        case .tunnel: return tunnelProfile
        case .session: return sessionProfile
        case .ppp: return pppProfile
        case .peer: return peerProfile
        }
    }

    static func profileName(_ kind: ProfileKind) -> ParameterSpec {
        ParameterSpec(.profileName, .string(maxLength: nameLength), "name of the \(kind.rawValue) profile").required()
    }
}

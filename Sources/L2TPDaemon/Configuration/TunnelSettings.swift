import L2TPConfig

/// Everything about one tunnel after profiles are applied: the values the
/// control layer needs (mapped onto `TunnelParameters` by the engine adapter)
/// plus what only the daemon uses (sockets, persistence, limits, tracing).
public struct TunnelSettings: Hashable, Sendable {
    // MARK: Identity and transport
    public var tunnelName: String?
    public var configID = 0
    public var tunnelProfileName = "default"
    public var peerProfileName: String?
    public var sessionProfileName: String?
    public var pppProfileName: String?
    /// L2TPConfig's resolution, kept so sessions resolve against the
    /// profiles the tunnel was created with.
    public var resolvedProfiles: ResolvedTunnel?
    public var destination: IPv4Address?
    public var source: IPv4Address?
    public var peerUDPPort = 1701
    /// nil: ephemeral.
    public var ourUDPPort: Int?

    // MARK: Control connection (RFC 2661 4.4.3, 5.8)
    /// nil: this system's host name.
    public var hostName: String?
    public var secret: String?
    public var authMode: L2TPConfig.TunnelAuthMode = .none
    public var hideAVPs = false
    public var framingCaps: L2TPConfig.FramingCapabilities = .any
    public var bearerCaps: L2TPConfig.BearerCapabilities = .any
    public var useTiebreaker = false
    public var allowPPPProxy = false
    public var rxWindowSize = 10
    public var txWindowSize = 10
    /// Seconds; 0 = no Hello.
    public var helloTimeout = 60
    public var maxRetries = 5
    /// Seconds; doubles to 8 s.
    public var retryTimeout = 1
    /// Seconds (system `tunnel_establish_timeout`).
    public var establishTimeout = 120

    // MARK: Daemon behaviour
    public var persist = false
    public var idleTimeout = 0
    /// 0 = no limit.
    public var maxSessions = 0
    public var mtu = 1460
    public var useUDPChecksums = true
    public var traceFlags: TraceFlags = .none

    public init() {}
}

/// One session's values after profiles are applied.
public struct SessionSettings: Hashable, Sendable {
    public var sessionName: String?
    public var sessionProfileName = "default"
    public var pppProfileName = "default"
    /// nil: from the tunnel's role (LAC: laic, LNS: lnoc).
    public var sessionType: SessionType?
    public var sequencingRequired = false
    public var useSequenceNumbers = false
    public var reorderTimeout = 0
    public var framingType: FramingType = .sync
    public var bearerType: BearerType = .none
    public var minimumBPS = 0
    public var maximumBPS = 0
    public var txConnectSpeed: UInt32 = 1_000_000
    public var rxConnectSpeed: UInt32?
    public var privateGroupID: String?
    public var userName: String?
    public var userPassword: String?
    public var interfaceName: String?
    public var noPPP = false
    public var traceFlags: TraceFlags = .none
    /// Seconds (system `session_establish_timeout`).
    public var establishTimeout = 120

    public init() {}
}

import L2TPConfig

/// `system modify` settings, typed. Defaults are L2TPConfig's table defaults
/// (openl2tp-interface.md): no limits, 120 s establish timeouts, 300 s/60 s
/// persist pend timeouts.
public struct SystemSettings: Hashable, Sendable {
    public var traceFlags: TraceFlags = .none
    /// 0 = no limit.
    public var maxTunnels = 0
    /// Over all tunnels; 0 = no limit.
    public var maxSessions = 0
    public var drainTunnels = false
    public var tunnelEstablishTimeout = 120
    public var sessionEstablishTimeout = 120
    public var tunnelPersistPendTimeout = 300
    public var sessionPersistPendTimeout = 60
    public var denyLocalTunnelCreates = false
    public var denyRemoteTunnelCreates = false

    public init() {}

    /// Applies the arguments of a `system modify`. `reset_statistics` is an
    /// action, returned to the caller rather than stored.
    @discardableResult
    public mutating func apply(_ arguments: [ParameterName: ConfigValue]) -> (resetStatistics: Bool, Void) {
        var reset = false
        for (name, value) in arguments {
            let useDefault = value == .notSet
            let defaults = SystemSettings()
            switch name {
            case .traceFlags: traceFlags = useDefault ? defaults.traceFlags : value.traceFlagsValue ?? traceFlags
            case .maxTunnels: maxTunnels = useDefault ? 0 : value.integerValue ?? maxTunnels
            case .maxSessions: maxSessions = useDefault ? 0 : value.integerValue ?? maxSessions
            case .drainTunnels: drainTunnels = useDefault ? false : value.boolValue ?? drainTunnels
            case .tunnelEstablishTimeout: tunnelEstablishTimeout = useDefault ? defaults.tunnelEstablishTimeout : value.integerValue ?? tunnelEstablishTimeout
            case .sessionEstablishTimeout: sessionEstablishTimeout = useDefault ? defaults.sessionEstablishTimeout : value.integerValue ?? sessionEstablishTimeout
            case .tunnelPersistPendTimeout: tunnelPersistPendTimeout = useDefault ? defaults.tunnelPersistPendTimeout : value.integerValue ?? tunnelPersistPendTimeout
            case .sessionPersistPendTimeout: sessionPersistPendTimeout = useDefault ? defaults.sessionPersistPendTimeout : value.integerValue ?? sessionPersistPendTimeout
            case .denyLocalTunnelCreates: denyLocalTunnelCreates = useDefault ? false : value.boolValue ?? denyLocalTunnelCreates
            case .denyRemoteTunnelCreates: denyRemoteTunnelCreates = useDefault ? false : value.boolValue ?? denyRemoteTunnelCreates
            case .resetStatistics: reset = value.boolValue ?? false
            default: break
            }
        }
        return (reset, ())
    }
}

/// Daemon-wide settings (`system modify`). Defaults per OpenL2TP 1.8.
public struct SystemSettings: MutableConfigurationRecord {
    public static let parameterSpecs = ParameterTables.system.filter { $0.name != .resetStatistics }
    public internal(set) var explicitValues: [ParameterName: ConfigValue] = [:]

    public init() {}

    public var traceFlags: TraceFlags { traceFlagsParameter(.traceFlags) }
    public var maxTunnels: Int { intParameter(.maxTunnels) }
    public var maxSessions: Int { intParameter(.maxSessions) }
    /// The size of the half-open table (SCCRQ answered, SCCCN not yet received).
    public var maxHalfOpenTunnels: Int { intParameter(.maxHalfOpenTunnels) }
    public var drainTunnels: Bool { boolParameter(.drainTunnels) }
    /// Seconds.
    public var tunnelEstablishTimeout: Int { intParameter(.tunnelEstablishTimeout) }
    /// Seconds.
    public var sessionEstablishTimeout: Int { intParameter(.sessionEstablishTimeout) }
    /// Seconds.
    public var tunnelPersistPendTimeout: Int { intParameter(.tunnelPersistPendTimeout) }
    /// Seconds.
    public var sessionPersistPendTimeout: Int { intParameter(.sessionPersistPendTimeout) }
    public var denyLocalTunnelCreates: Bool { boolParameter(.denyLocalTunnelCreates) }
    public var denyRemoteTunnelCreates: Bool { boolParameter(.denyRemoteTunnelCreates) }
}

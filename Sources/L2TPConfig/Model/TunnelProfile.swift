/// A tunnel profile: defaults for tunnels created locally (`tunnel create
/// profile_name=`) or by a peer (through its peer profile). Also used as the
/// effective settings of one tunnel once request overrides are applied.
public struct TunnelProfile: Profile {
    public static let kind = ProfileKind.tunnel
    public static let parameterSpecs = ParameterTables.tunnelProfile
    public let name: String
    public internal(set) var explicitValues: [ParameterName: ConfigValue] = [:]

    public init(name: String) {
        self.name = name
    }

    public var isDefault: Bool { name == "default" }

    // MARK: - Parameters

    public var srcIPAddress: IPv4Address? { addressParameter(.srcIPAddress) }
    public var peerUDPPort: Int { intParameter(.peerUDPPort) }
    public var ourUDPPort: Int? { optionalIntParameter(.ourUDPPort) }
    public var useTiebreaker: Bool { boolParameter(.useTiebreaker) }
    public var allowPPPProxy: Bool { boolParameter(.allowPPPProxy) }
    public var framingCaps: FramingCapabilities { choiceParameter(.framingCaps, FramingCapabilities.allCases[0]) }
    public var bearerCaps: BearerCapabilities { choiceParameter(.bearerCaps, BearerCapabilities.allCases[0]) }
    public var hostName: String? { optionalStringParameter(.hostName) }
    public var secret: String? { optionalStringParameter(.secret) }
    public var authMode: TunnelAuthMode { choiceParameter(.authMode, TunnelAuthMode.allCases[0]) }
    public var hideAVPs: Bool { boolParameter(.hideAVPs) }
    public var rxWindowSize: Int { intParameter(.rxWindowSize) }
    public var txWindowSize: Int { intParameter(.txWindowSize) }
    public var doPMTUDiscovery: Bool { boolParameter(.doPMTUDiscovery) }
    public var traceFlags: TraceFlags { traceFlagsParameter(.traceFlags) }
    public var useUDPChecksums: Bool { boolParameter(.useUDPChecksums) }
    public var persist: Bool { boolParameter(.persist) }
    /// Seconds.
    public var helloTimeout: Int { intParameter(.helloTimeout) }
    public var maxRetries: Int { intParameter(.maxRetries) }
    /// Seconds.
    public var retryTimeout: Int { intParameter(.retryTimeout) }
    /// Seconds.
    public var idleTimeout: Int { intParameter(.idleTimeout) }
    public var maxSessions: Int { intParameter(.maxSessions) }
    public var mtu: Int { intParameter(.mtu) }
    public var peerProfileName: String? { optionalStringParameter(.peerProfileName) }
    public var sessionProfileName: String? { optionalStringParameter(.sessionProfileName) }
    public var pppProfileName: String? { optionalStringParameter(.pppProfileName) }
}

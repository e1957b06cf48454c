/// A PPP profile: what the PPP plugin hands to pppd for a session.
public struct PPPProfile: Profile {
    public static let kind = ProfileKind.ppp
    public static let parameterSpecs = ParameterTables.pppProfile
    public let name: String
    public internal(set) var explicitValues: [ParameterName: ConfigValue] = [:]

    public init(name: String) {
        self.name = name
    }

    public var isDefault: Bool { name == "default" }

    // MARK: - Parameters

    public var traceFlags: TraceFlags { traceFlagsParameter(.traceFlags) }
    public var asyncMap: Int { intParameter(.asyncMap) }
    public var mtu: Int { intParameter(.mtu) }
    public var mru: Int { intParameter(.mru) }
    public var syncMode: PPPSyncMode { choiceParameter(.syncMode, PPPSyncMode.allCases[0]) }
    public var authPAP: Bool { boolParameter(.authPAP) }
    public var authCHAP: Bool { boolParameter(.authCHAP) }
    public var authMSCHAPv1: Bool { boolParameter(.authMSCHAPv1) }
    public var authMSCHAPv2: Bool { boolParameter(.authMSCHAPv2) }
    public var authEAP: Bool { boolParameter(.authEAP) }
    public var authNone: Bool { boolParameter(.authNone) }
    public var authPeer: Bool { boolParameter(.authPeer) }
    /// Seconds.
    public var chapInterval: Int { intParameter(.chapInterval) }
    public var chapMaxChallenge: Int { intParameter(.chapMaxChallenge) }
    /// Seconds.
    public var chapRestart: Int { intParameter(.chapRestart) }
    public var papMaxAuthRequests: Int { intParameter(.papMaxAuthRequests) }
    /// Seconds.
    public var papRestartInterval: Int { intParameter(.papRestartInterval) }
    /// Seconds.
    public var papTimeout: Int { intParameter(.papTimeout) }
    /// Seconds.
    public var idleTimeout: Int { intParameter(.idleTimeout) }
    public var ipcpMaxConfigRequests: Int { intParameter(.ipcpMaxConfigRequests) }
    public var ipcpMaxConfigNaks: Int { intParameter(.ipcpMaxConfigNaks) }
    public var ipcpMaxTerminateRequests: Int { intParameter(.ipcpMaxTerminateRequests) }
    /// Seconds.
    public var ipcpRetransmitInterval: Int { intParameter(.ipcpRetransmitInterval) }
    public var lcpEchoFailureCount: Int { intParameter(.lcpEchoFailureCount) }
    /// Seconds.
    public var lcpEchoInterval: Int { intParameter(.lcpEchoInterval) }
    public var lcpMaxConfigRequests: Int { intParameter(.lcpMaxConfigRequests) }
    public var lcpMaxConfigNaks: Int { intParameter(.lcpMaxConfigNaks) }
    public var lcpMaxTerminateRequests: Int { intParameter(.lcpMaxTerminateRequests) }
    /// Seconds.
    public var lcpRetransmitInterval: Int { intParameter(.lcpRetransmitInterval) }
    /// Seconds.
    public var maxConnectTime: Int { intParameter(.maxConnectTime) }
    public var maxFailureCount: Int { intParameter(.maxFailureCount) }
    public var ipPoolName: String? { optionalStringParameter(.ipPoolName) }
    public var localIPAddress: IPv4Address? { addressParameter(.localIPAddress) }
    public var remoteIPAddress: IPv4Address? { addressParameter(.remoteIPAddress) }
    public var dnsIPAddressPrimary: IPv4Address? { addressParameter(.dnsIPAddressPrimary) }
    public var dnsIPAddressSecondary: IPv4Address? { addressParameter(.dnsIPAddressSecondary) }
    public var winsIPAddressPrimary: IPv4Address? { addressParameter(.winsIPAddressPrimary) }
    public var winsIPAddressSecondary: IPv4Address? { addressParameter(.winsIPAddressSecondary) }
    public var useRADIUS: Bool { boolParameter(.useRADIUS) }
    public var radiusHint: String? { optionalStringParameter(.radiusHint) }
    public var localName: String? { optionalStringParameter(.localName) }
    public var remoteName: String? { optionalStringParameter(.remoteName) }
    public var defaultRoute: Bool { boolParameter(.defaultRoute) }
    public var multilink: Bool { boolParameter(.multilink) }
    public var proxyARP: Bool { boolParameter(.proxyARP) }
}

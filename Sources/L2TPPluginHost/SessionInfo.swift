/// What plugins may know about a session, as a plain value snapshot.
public struct SessionInfo: Hashable, Sendable {
    /// Which side placed the call, and which way (RFC 2661 section 5.4 and 5.5).
    public enum CallType: UInt32, Hashable, Sendable {
        case lacIncoming = 1
        case lacOutgoing = 2
        case lnsIncoming = 3
        case lnsOutgoing = 4
    }

    /// Proxy authentication AVPs a LAC forwards to the LNS (RFC 2661 4.4.5).
    public struct ProxyAuthentication: Hashable, Sendable {
        /// Proxy Authen Type: 1 text, 2 CHAP, 3 PAP, 4 none, 5 MSCHAPv1.
        public var type: UInt16
        public var name: String?
        public var challenge: [UInt8]
        public var response: [UInt8]
        public var id: UInt16?

        public init(
            type: UInt16, name: String? = nil, challenge: [UInt8] = [], response: [UInt8] = [], id: UInt16? = nil
        ) {
            self.type = type
            self.name = name
            self.challenge = challenge
            self.response = response
            self.id = id
        }
    }

    public var tunnelID: UInt16
    public var sessionID: UInt16
    /// The peer's session id, 0 until known.
    public var peerSessionID: UInt16
    public var callType: CallType
    public var callSerialNumber: UInt32?
    public var callingNumber: String?
    public var calledNumber: String?
    public var subAddress: String?
    /// The PPP user name, once PPP reported it.
    public var userName: String?
    public var proxyAuthentication: ProxyAuthentication?
    /// The PPP interface (e.g. `ppp0`) and unit, once PPP is up.
    public var interfaceName: String?
    public var pppUnit: UInt32?
    /// The session's effective configuration as text, keyed by l2tpconfig
    /// parameter name (PPP profile, session, `tunnel_mtu`, system settings
    /// such as `session_establish_timeout`), read by plugins through
    /// `session_get_param` (ABI 1.1). Booleans "yes"/"no", numbers decimal,
    /// addresses dotted quads. The daemon fills it from the profiles that
    /// apply (interface doc, "Profiles: which one applies").
    public var parameters: [String: String]

    public init(
        tunnelID: UInt16,
        sessionID: UInt16,
        peerSessionID: UInt16 = 0,
        callType: CallType,
        callSerialNumber: UInt32? = nil,
        callingNumber: String? = nil,
        calledNumber: String? = nil,
        subAddress: String? = nil,
        userName: String? = nil,
        proxyAuthentication: ProxyAuthentication? = nil,
        interfaceName: String? = nil,
        pppUnit: UInt32? = nil,
        parameters: [String: String] = [:]
    ) {
        self.tunnelID = tunnelID
        self.sessionID = sessionID
        self.peerSessionID = peerSessionID
        self.callType = callType
        self.callSerialNumber = callSerialNumber
        self.callingNumber = callingNumber
        self.calledNumber = calledNumber
        self.subAddress = subAddress
        self.userName = userName
        self.proxyAuthentication = proxyAuthentication
        self.interfaceName = interfaceName
        self.pppUnit = pppUnit
        self.parameters = parameters
    }
}

/// What the peer's call messages said about an established session (ICRQ and
/// ICCN, or OCRQ and OCCN; RFC 2661 4.4.5): kept by the engine so plugins see
/// the call's numbers and the LAC's proxy authentication (RFC 2661 4.4.5,
/// Proxy Authen Type/Name/Challenge/ID/Response).
public struct SessionCallDetails: Hashable, Sendable {
    public struct ProxyAuthentication: Hashable, Sendable {
        /// 1 text, 2 CHAP, 3 PAP, 4 none, 5 MSCHAPv1.
        public var type: UInt16
        public var name: String?
        public var challenge: [UInt8]
        public var response: [UInt8]
        public var id: UInt16?

        public init(type: UInt16, name: String?, challenge: [UInt8], response: [UInt8], id: UInt16?) {
            self.type = type
            self.name = name
            self.challenge = challenge
            self.response = response
            self.id = id
        }
    }

    public var callSerialNumber: UInt32
    public var callingNumber: String?
    public var calledNumber: String?
    public var subAddress: String?
    public var proxyAuthentication: ProxyAuthentication?
    /// The call's framing and bearer as its messages settled them (the peer's
    /// Framing/Bearer Type AVP when it sent one, else ours): "sync", "async",
    /// "any" or "none"; "digital", "analog", "any" or "none" (RFC 2661 4.4.5).
    /// `session show` prints them as the peer configuration data.
    public var framingType: String?
    public var bearerType: String?
    /// (Rx) Connect Speed of the ICCN/OCCN (RFC 2661 4.4.5).
    public var txConnectSpeed: UInt32?
    public var rxConnectSpeed: UInt32?
    /// Either side asked for sequenced data messages (Sequencing Required AVP, RFC 2661 4.4.6).
    public var sequencingRequired = false

    public init(
        callSerialNumber: UInt32, callingNumber: String? = nil, calledNumber: String? = nil,
        subAddress: String? = nil, proxyAuthentication: ProxyAuthentication? = nil
    ) {
        self.callSerialNumber = callSerialNumber
        self.callingNumber = callingNumber
        self.calledNumber = calledNumber
        self.subAddress = subAddress
        self.proxyAuthentication = proxyAuthentication
    }
}

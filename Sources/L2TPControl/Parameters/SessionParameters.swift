import L2TPWire

/// The four kinds of call (RFC 2661 7.4, 7.5).
public enum CallType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// We are the LAC and report an incoming call: ICRQ, ICRP, ICCN.
    case lacIncoming
    /// We are the LNS and accept an incoming call.
    case lnsIncoming
    /// We are the LAC and place a call the LNS asked for: OCRQ, OCRP, OCCN.
    case lacOutgoing
    /// We are the LNS and ask the LAC to place a call.
    case lnsOutgoing

    /// The kinds a local request opens (the other two answer the peer).
    public var isLocallyInitiated: Bool { self == .lacIncoming || self == .lnsOutgoing }

    /// OpenL2TP's `session_type` names.
    public var description: String {
        switch self {
        case .lacIncoming: "laic"
        case .lnsIncoming: "lnic"
        case .lacOutgoing: "laoc"
        case .lnsOutgoing: "lnoc"
        }
    }
}

/// PPP proxy authentication and proxy LCP AVPs (RFC 2661 4.4.5), sent by the
/// LAC in ICCN and handed to the LNS's PPP layer.
public struct ProxyAuthentication: Hashable, Sendable {
    public var type: ProxyAuthenType?
    public var name: [UInt8]?
    public var challenge: [UInt8]?
    public var id: UInt8?
    public var response: [UInt8]?
    public var initialReceivedLCPConfReq: [UInt8]?
    public var lastSentLCPConfReq: [UInt8]?
    public var lastReceivedLCPConfReq: [UInt8]?

    public init(
        type: ProxyAuthenType? = nil, name: [UInt8]? = nil, challenge: [UInt8]? = nil, id: UInt8? = nil,
        response: [UInt8]? = nil, initialReceivedLCPConfReq: [UInt8]? = nil, lastSentLCPConfReq: [UInt8]? = nil,
        lastReceivedLCPConfReq: [UInt8]? = nil
    ) {
        self.type = type
        self.name = name
        self.challenge = challenge
        self.id = id
        self.response = response
        self.initialReceivedLCPConfReq = initialReceivedLCPConfReq
        self.lastSentLCPConfReq = lastSentLCPConfReq
        self.lastReceivedLCPConfReq = lastReceivedLCPConfReq
    }

    var isEmpty: Bool { self == ProxyAuthentication() }

    var avps: [AVP] {
        var list: [AVP] = []
        if let v = initialReceivedLCPConfReq { list.append(.initialReceivedLCPConfReq(v)) }
        if let v = lastSentLCPConfReq { list.append(.lastSentLCPConfReq(v)) }
        if let v = lastReceivedLCPConfReq { list.append(.lastReceivedLCPConfReq(v)) }
        if let v = type { list.append(.proxyAuthenType(v)) }
        if let v = name { list.append(.proxyAuthenName(v)) }
        if let v = challenge { list.append(.proxyAuthenChallenge(v)) }
        if let v = id { list.append(.proxyAuthenID(v)) }
        if let v = response { list.append(.proxyAuthenResponse(v)) }
        return list
    }

    init(from message: ControlMessage) {
        self.init(
            type: message.proxyAuthenType, name: message.proxyAuthenName, challenge: message.proxyAuthenChallenge,
            id: message.proxyAuthenID, response: message.proxyAuthenResponse,
            initialReceivedLCPConfReq: message.initialReceivedLCPConfReq,
            lastSentLCPConfReq: message.lastSentLCPConfReq, lastReceivedLCPConfReq: message.lastReceivedLCPConfReq)
    }
}

/// Everything one session needs; the daemon maps session profiles onto this.
public struct SessionParameters: Hashable, Sendable {
    public var callType: CallType = .lacIncoming
    /// Call Serial Number AVP (RFC 2661 4.4.4); nil lets the endpoint pick one.
    public var callSerialNumber: UInt32? = nil
    public var bearerType: BearerCapabilities = .analog
    public var framingType: FramingCapabilities = .synchronous
    /// (Tx) Connect Speed in bits per second (ICCN, OCCN).
    public var txConnectSpeed: UInt32 = 100_000_000
    /// Rx Connect Speed; sent only when set.
    public var rxConnectSpeed: UInt32? = nil
    public var minimumBPS: UInt32 = 0
    public var maximumBPS: UInt32 = 0xFFFF_FFFF
    public var calledNumber: String? = nil
    public var callingNumber: String? = nil
    public var subAddress: String? = nil
    /// Ask the peer to sequence data messages (RFC 2661 4.4.6).
    public var sequencingRequired: Bool = false
    public var privateGroupID: [UInt8]? = nil
    /// Proxy authentication to forward in ICCN (LAC incoming).
    public var proxyAuthentication: ProxyAuthentication? = nil
    public var physicalChannelID: UInt32? = nil
    /// Tear the session down with CDN result 10 if not established in time.
    public var establishTimeout: L2TPDuration = .seconds(120)

    public init(callType: CallType = .lacIncoming) { self.callType = callType }
}

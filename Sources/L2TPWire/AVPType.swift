/// Identifies an AVP on the wire: vendor id plus attribute type (RFC 2661 4.1).
/// Vendor id 0 is the IETF space of RFC 2661 4.4.
public struct AVPAttribute: Hashable, Sendable, CustomStringConvertible {
    public var vendorID: UInt16
    public var type: UInt16

    public init(vendorID: UInt16, type: UInt16) {
        self.vendorID = vendorID
        self.type = type
    }

    /// The IETF attribute, when this is one RFC 2661 defines.
    public var ietfType: AVPType? { vendorID == 0 ? AVPType(rawValue: type) : nil }

    public var description: String {
        if let known = ietfType { return "\(type) (\(known.name))" }
        return vendorID == 0 ? "IETF type \(type)" : "vendor \(vendorID) type \(type)"
    }

    /// How error texts sent to a peer name the AVP: "Host Name AVP",
    /// "AVP 200", "vendor 3561 AVP 1".
    var peerName: String {
        if let known = ietfType { return "\(known.name) AVP" }
        return vendorID == 0 ? "AVP \(type)" : "vendor \(vendorID) AVP \(type)"
    }
}

/// The IETF AVPs of RFC 2661 4.4, with the per-attribute rules the codec needs.
///
/// Attribute 20 is not assigned by RFC 2661 and is therefore absent.
public enum AVPType: UInt16, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case messageType = 0
    case resultCode = 1
    case protocolVersion = 2
    case framingCapabilities = 3
    case bearerCapabilities = 4
    case tieBreaker = 5
    case firmwareRevision = 6
    case hostName = 7
    case vendorName = 8
    case assignedTunnelID = 9
    case receiveWindowSize = 10
    case challenge = 11
    case q931CauseCode = 12
    case challengeResponse = 13
    case assignedSessionID = 14
    case callSerialNumber = 15
    case minimumBPS = 16
    case maximumBPS = 17
    case bearerType = 18
    case framingType = 19
    case calledNumber = 21
    case callingNumber = 22
    case subAddress = 23
    case txConnectSpeed = 24
    case physicalChannelID = 25
    case initialReceivedLCPConfReq = 26
    case lastSentLCPConfReq = 27
    case lastReceivedLCPConfReq = 28
    case proxyAuthenType = 29
    case proxyAuthenName = 30
    case proxyAuthenChallenge = 31
    case proxyAuthenID = 32
    case proxyAuthenResponse = 33
    case callErrors = 34
    case accm = 35
    case randomVector = 36
    case privateGroupID = 37
    case rxConnectSpeed = 38
    case sequencingRequired = 39

    /// Allowed sizes of the (unhidden) attribute value, in octets.
    public enum ValueSize: Hashable, Sendable {
        case exactly(Int)
        case atLeast(Int)

        func accepts(_ count: Int) -> Bool {
            switch self {
            case .exactly(let n): count == n
            case .atLeast(let n): count >= n
            }
        }

        /// "exactly 2 bytes", "at least 1 byte": for error texts a peer reads.
        var words: String {
            switch self {
            case .exactly(let n): "exactly \(n) \(n == 1 ? "byte" : "bytes")"
            case .atLeast(let n): "at least \(n) \(n == 1 ? "byte" : "bytes")"
            }
        }
    }

    /// The row of the RFC 2661 4.4 table for this attribute.
    public struct Rule: Sendable {
        public let name: String
        /// The M bit RFC 2661 prescribes; used as the default when encoding.
        public let mandatory: Bool
        /// Whether RFC 2661 allows the H bit.
        public let mayBeHidden: Bool
        public let valueSize: ValueSize
    }

    public var rule: Rule {
        switch self {
        case .messageType: Rule(name: "Message Type", mandatory: true, mayBeHidden: false, valueSize: .exactly(2))
        case .resultCode: Rule(name: "Result Code", mandatory: true, mayBeHidden: false, valueSize: .atLeast(2))
        case .protocolVersion:
            Rule(name: "Protocol Version", mandatory: true, mayBeHidden: false, valueSize: .exactly(2))
        case .framingCapabilities:
            Rule(name: "Framing Capabilities", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .bearerCapabilities:
            Rule(name: "Bearer Capabilities", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .tieBreaker: Rule(name: "Tie Breaker", mandatory: false, mayBeHidden: false, valueSize: .exactly(8))
        case .firmwareRevision:
            Rule(name: "Firmware Revision", mandatory: false, mayBeHidden: true, valueSize: .exactly(2))
        case .hostName: Rule(name: "Host Name", mandatory: true, mayBeHidden: false, valueSize: .atLeast(1))
        case .vendorName: Rule(name: "Vendor Name", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .assignedTunnelID:
            Rule(name: "Assigned Tunnel ID", mandatory: true, mayBeHidden: true, valueSize: .exactly(2))
        case .receiveWindowSize:
            Rule(name: "Receive Window Size", mandatory: true, mayBeHidden: false, valueSize: .exactly(2))
        case .challenge: Rule(name: "Challenge", mandatory: true, mayBeHidden: true, valueSize: .atLeast(1))
        case .q931CauseCode: Rule(name: "Q.931 Cause Code", mandatory: true, mayBeHidden: false, valueSize: .atLeast(3))
        case .challengeResponse:
            Rule(name: "Challenge Response", mandatory: true, mayBeHidden: true, valueSize: .exactly(16))
        case .assignedSessionID:
            Rule(name: "Assigned Session ID", mandatory: true, mayBeHidden: true, valueSize: .exactly(2))
        case .callSerialNumber:
            Rule(name: "Call Serial Number", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .minimumBPS: Rule(name: "Minimum BPS", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .maximumBPS: Rule(name: "Maximum BPS", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .bearerType: Rule(name: "Bearer Type", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .framingType: Rule(name: "Framing Type", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .calledNumber: Rule(name: "Called Number", mandatory: true, mayBeHidden: true, valueSize: .atLeast(0))
        case .callingNumber: Rule(name: "Calling Number", mandatory: true, mayBeHidden: true, valueSize: .atLeast(0))
        case .subAddress: Rule(name: "Sub-Address", mandatory: true, mayBeHidden: true, valueSize: .atLeast(0))
        case .txConnectSpeed:
            Rule(name: "(Tx) Connect Speed", mandatory: true, mayBeHidden: true, valueSize: .exactly(4))
        case .physicalChannelID:
            Rule(name: "Physical Channel ID", mandatory: false, mayBeHidden: true, valueSize: .exactly(4))
        case .initialReceivedLCPConfReq:
            Rule(name: "Initial Received LCP CONFREQ", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .lastSentLCPConfReq:
            Rule(name: "Last Sent LCP CONFREQ", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .lastReceivedLCPConfReq:
            Rule(name: "Last Received LCP CONFREQ", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .proxyAuthenType:
            Rule(name: "Proxy Authen Type", mandatory: false, mayBeHidden: true, valueSize: .exactly(2))
        case .proxyAuthenName:
            Rule(name: "Proxy Authen Name", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .proxyAuthenChallenge:
            Rule(name: "Proxy Authen Challenge", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .proxyAuthenID: Rule(name: "Proxy Authen ID", mandatory: false, mayBeHidden: true, valueSize: .exactly(2))
        case .proxyAuthenResponse:
            Rule(name: "Proxy Authen Response", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .callErrors: Rule(name: "Call Errors", mandatory: true, mayBeHidden: true, valueSize: .exactly(26))
        case .accm: Rule(name: "ACCM", mandatory: true, mayBeHidden: true, valueSize: .exactly(10))
        case .randomVector: Rule(name: "Random Vector", mandatory: true, mayBeHidden: false, valueSize: .atLeast(1))
        case .privateGroupID:
            Rule(name: "Private Group ID", mandatory: false, mayBeHidden: true, valueSize: .atLeast(0))
        case .rxConnectSpeed:
            Rule(name: "Rx Connect Speed", mandatory: false, mayBeHidden: true, valueSize: .exactly(4))
        case .sequencingRequired:
            Rule(name: "Sequencing Required", mandatory: true, mayBeHidden: false, valueSize: .exactly(0))
        }
    }

    public var name: String { rule.name }
    public var description: String { rule.name }
}

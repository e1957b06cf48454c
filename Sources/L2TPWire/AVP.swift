/// An Attribute Value Pair (RFC 2661 4.1, 4.4) as a typed value.
///
/// One case per IETF attribute of RFC 2661 4.4. Byte-string values are kept
/// as raw octets so that every value survives a decode/encode round trip;
/// `ControlMessage` offers `String` accessors where that is convenient.
/// The M and H bits are not part of the value: see `AVPEntry`.
public enum AVP: Hashable, Sendable {
    case messageType(MessageType)
    case resultCode(ResultCode)
    case protocolVersion(ProtocolVersion)
    case framingCapabilities(FramingCapabilities)
    case bearerCapabilities(BearerCapabilities)
    case tieBreaker(UInt64)
    case firmwareRevision(UInt16)
    case hostName([UInt8])
    case vendorName([UInt8])
    case assignedTunnelID(UInt16)
    case receiveWindowSize(UInt16)
    case challenge([UInt8])
    case q931CauseCode(Q931Cause)
    /// 16 octets (RFC 2661 4.4.3).
    case challengeResponse([UInt8])
    case assignedSessionID(UInt16)
    case callSerialNumber(UInt32)
    case minimumBPS(UInt32)
    case maximumBPS(UInt32)
    case bearerType(BearerCapabilities)
    case framingType(FramingCapabilities)
    case calledNumber([UInt8])
    case callingNumber([UInt8])
    case subAddress([UInt8])
    case txConnectSpeed(UInt32)
    case physicalChannelID(UInt32)
    case initialReceivedLCPConfReq([UInt8])
    case lastSentLCPConfReq([UInt8])
    case lastReceivedLCPConfReq([UInt8])
    case proxyAuthenType(ProxyAuthenType)
    case proxyAuthenName([UInt8])
    case proxyAuthenChallenge([UInt8])
    /// The low octet of the 2-octet field; the high octet MUST be 0 (RFC 2661 4.4.5).
    case proxyAuthenID(UInt8)
    case proxyAuthenResponse([UInt8])
    case callErrors(CallErrors)
    case accm(ACCM)
    case randomVector([UInt8])
    case privateGroupID([UInt8])
    case rxConnectSpeed(UInt32)
    case sequencingRequired
    /// Any AVP with a non-zero Vendor ID, carried opaquely (RFC 2661 4.1).
    /// The RFC's Vendor ID field is 2 octets.
    case vendor(vendorID: UInt16, type: UInt16, value: [UInt8])
    /// An IETF attribute RFC 2661 does not define, received without the M bit.
    case unknown(type: UInt16, value: [UInt8])

    /// The wire identity of this AVP.
    public var attribute: AVPAttribute {
        switch self {
        case .vendor(let vendorID, let type, _): AVPAttribute(vendorID: vendorID, type: type)
        case .unknown(let type, _): AVPAttribute(vendorID: 0, type: type)
        default: AVPAttribute(vendorID: 0, type: type!.rawValue)
        }
    }

    /// The IETF attribute type, or nil for vendor and unknown AVPs.
    public var type: AVPType? {
        switch self {
        case .messageType: .messageType
        case .resultCode: .resultCode
        case .protocolVersion: .protocolVersion
        case .framingCapabilities: .framingCapabilities
        case .bearerCapabilities: .bearerCapabilities
        case .tieBreaker: .tieBreaker
        case .firmwareRevision: .firmwareRevision
        case .hostName: .hostName
        case .vendorName: .vendorName
        case .assignedTunnelID: .assignedTunnelID
        case .receiveWindowSize: .receiveWindowSize
        case .challenge: .challenge
        case .q931CauseCode: .q931CauseCode
        case .challengeResponse: .challengeResponse
        case .assignedSessionID: .assignedSessionID
        case .callSerialNumber: .callSerialNumber
        case .minimumBPS: .minimumBPS
        case .maximumBPS: .maximumBPS
        case .bearerType: .bearerType
        case .framingType: .framingType
        case .calledNumber: .calledNumber
        case .callingNumber: .callingNumber
        case .subAddress: .subAddress
        case .txConnectSpeed: .txConnectSpeed
        case .physicalChannelID: .physicalChannelID
        case .initialReceivedLCPConfReq: .initialReceivedLCPConfReq
        case .lastSentLCPConfReq: .lastSentLCPConfReq
        case .lastReceivedLCPConfReq: .lastReceivedLCPConfReq
        case .proxyAuthenType: .proxyAuthenType
        case .proxyAuthenName: .proxyAuthenName
        case .proxyAuthenChallenge: .proxyAuthenChallenge
        case .proxyAuthenID: .proxyAuthenID
        case .proxyAuthenResponse: .proxyAuthenResponse
        case .callErrors: .callErrors
        case .accm: .accm
        case .randomVector: .randomVector
        case .privateGroupID: .privateGroupID
        case .rxConnectSpeed: .rxConnectSpeed
        case .sequencingRequired: .sequencingRequired
        case .vendor, .unknown: nil
        }
    }

    /// The M bit RFC 2661 prescribes for this attribute; false for vendor and unknown AVPs.
    public var defaultMandatory: Bool { type?.rule.mandatory ?? false }
}

/// An AVP as it sits in a message: the value plus its M and H bits.
///
/// Decoding records the bits as received. When building a message, `init(_:)`
/// takes the M bit from the RFC 2661 table and leaves H clear; set `isHidden`
/// to have the encoder hide the value (RFC 2661 4.3).
public struct AVPEntry: Hashable, Sendable {
    public var value: AVP
    public var isMandatory: Bool
    public var isHidden: Bool

    public init(_ value: AVP, mandatory: Bool? = nil, hidden: Bool = false) {
        self.value = value
        self.isMandatory = mandatory ?? value.defaultMandatory
        self.isHidden = hidden
    }
}

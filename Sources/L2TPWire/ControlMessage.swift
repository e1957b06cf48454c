/// An L2TP control message (RFC 2661 3.1, 6): header fields plus an ordered
/// bag of AVPs, the first of which is the Message Type.
///
/// A message without AVPs is a zero-length body (ZLB) acknowledgement
/// (RFC 2661 5.8); its `messageType` is nil.
///
/// The bag keeps every AVP as received, including Random Vector, vendor and
/// unknown non-mandatory AVPs, with their M and H bits. Which AVPs each
/// message must or may carry is checked by `MessageSpec.validate`, not here.
public struct ControlMessage: Hashable, Sendable {
    public var tunnelID: UInt16
    public var sessionID: UInt16
    public var ns: UInt16
    public var nr: UInt16
    public var avps: [AVPEntry]

    public init(tunnelID: UInt16, sessionID: UInt16, ns: UInt16 = 0, nr: UInt16 = 0, avps: [AVPEntry]) {
        self.tunnelID = tunnelID
        self.sessionID = sessionID
        self.ns = ns
        self.nr = nr
        self.avps = avps
    }

    /// Builds a message of `type`: the Message Type AVP is prepended, each
    /// AVP gets its RFC 2661 M bit, and attributes in `hidden` are sent hidden.
    public init(
        _ type: MessageType, tunnelID: UInt16, sessionID: UInt16 = 0, ns: UInt16 = 0, nr: UInt16 = 0,
        avps: [AVP], hidden: Set<AVPType> = []
    ) {
        var entries = [AVPEntry(.messageType(type))]
        entries.reserveCapacity(avps.count + 1)
        for avp in avps {
            entries.append(AVPEntry(avp, hidden: avp.type.map { hidden.contains($0) } ?? false))
        }
        self.init(tunnelID: tunnelID, sessionID: sessionID, ns: ns, nr: nr, avps: entries)
    }

    /// A zero-length body acknowledgement (RFC 2661 5.8).
    public static func zlb(tunnelID: UInt16, sessionID: UInt16 = 0, ns: UInt16, nr: UInt16) -> ControlMessage {
        ControlMessage(tunnelID: tunnelID, sessionID: sessionID, ns: ns, nr: nr, avps: [])
    }

    /// True for a ZLB acknowledgement.
    public var isZLB: Bool { avps.isEmpty }

    /// The message type, nil for a ZLB.
    public var messageType: MessageType? {
        guard let first = avps.first, case .messageType(let type) = first.value else { return nil }
        return type
    }

    /// The first AVP of the given IETF type, with its flags.
    public func entry(_ type: AVPType) -> AVPEntry? {
        avps.first { $0.value.type == type }
    }

    /// Appends an AVP with its RFC 2661 M bit (unless overridden).
    public mutating func append(_ avp: AVP, mandatory: Bool? = nil, hidden: Bool = false) {
        avps.append(AVPEntry(avp, mandatory: mandatory, hidden: hidden))
    }

    /// Vendor-specific AVPs, in order.
    public var vendorAVPs: [AVPEntry] {
        avps.filter { if case .vendor = $0.value { true } else { false } }
    }
}

// MARK: - Typed accessors (first occurrence of each attribute)

extension ControlMessage {
    private func first<T>(_ extract: (AVP) -> T?) -> T? {
        for entry in avps { if let value = extract(entry.value) { return value } }
        return nil
    }

    public var resultCode: ResultCode? { first { if case .resultCode(let v) = $0 { v } else { nil } } }
    public var protocolVersion: ProtocolVersion? { first { if case .protocolVersion(let v) = $0 { v } else { nil } } }
    public var framingCapabilities: FramingCapabilities? {
        first { if case .framingCapabilities(let v) = $0 { v } else { nil } }
    }
    public var bearerCapabilities: BearerCapabilities? {
        first { if case .bearerCapabilities(let v) = $0 { v } else { nil } }
    }
    public var tieBreaker: UInt64? { first { if case .tieBreaker(let v) = $0 { v } else { nil } } }
    public var firmwareRevision: UInt16? { first { if case .firmwareRevision(let v) = $0 { v } else { nil } } }
    /// Host Name octets (RFC 2661 4.4.3).
    public var hostNameBytes: [UInt8]? { first { if case .hostName(let v) = $0 { v } else { nil } } }
    /// Host Name as text (invalid UTF-8 repaired).
    public var hostName: String? { hostNameBytes.map { String(decoding: $0, as: UTF8.self) } }
    public var vendorName: String? {
        first { if case .vendorName(let v) = $0 { String(decoding: v, as: UTF8.self) } else { nil } }
    }
    public var assignedTunnelID: UInt16? { first { if case .assignedTunnelID(let v) = $0 { v } else { nil } } }
    public var receiveWindowSize: UInt16? { first { if case .receiveWindowSize(let v) = $0 { v } else { nil } } }
    public var challenge: [UInt8]? { first { if case .challenge(let v) = $0 { v } else { nil } } }
    public var q931CauseCode: Q931Cause? { first { if case .q931CauseCode(let v) = $0 { v } else { nil } } }
    public var challengeResponse: [UInt8]? { first { if case .challengeResponse(let v) = $0 { v } else { nil } } }
    public var assignedSessionID: UInt16? { first { if case .assignedSessionID(let v) = $0 { v } else { nil } } }
    public var callSerialNumber: UInt32? { first { if case .callSerialNumber(let v) = $0 { v } else { nil } } }
    public var minimumBPS: UInt32? { first { if case .minimumBPS(let v) = $0 { v } else { nil } } }
    public var maximumBPS: UInt32? { first { if case .maximumBPS(let v) = $0 { v } else { nil } } }
    public var bearerType: BearerCapabilities? { first { if case .bearerType(let v) = $0 { v } else { nil } } }
    public var framingType: FramingCapabilities? { first { if case .framingType(let v) = $0 { v } else { nil } } }
    public var calledNumber: String? {
        first { if case .calledNumber(let v) = $0 { String(decoding: v, as: UTF8.self) } else { nil } }
    }
    public var callingNumber: String? {
        first { if case .callingNumber(let v) = $0 { String(decoding: v, as: UTF8.self) } else { nil } }
    }
    public var subAddress: String? {
        first { if case .subAddress(let v) = $0 { String(decoding: v, as: UTF8.self) } else { nil } }
    }
    public var txConnectSpeed: UInt32? { first { if case .txConnectSpeed(let v) = $0 { v } else { nil } } }
    public var rxConnectSpeed: UInt32? { first { if case .rxConnectSpeed(let v) = $0 { v } else { nil } } }
    public var physicalChannelID: UInt32? { first { if case .physicalChannelID(let v) = $0 { v } else { nil } } }
    public var initialReceivedLCPConfReq: [UInt8]? {
        first { if case .initialReceivedLCPConfReq(let v) = $0 { v } else { nil } }
    }
    public var lastSentLCPConfReq: [UInt8]? { first { if case .lastSentLCPConfReq(let v) = $0 { v } else { nil } } }
    public var lastReceivedLCPConfReq: [UInt8]? {
        first { if case .lastReceivedLCPConfReq(let v) = $0 { v } else { nil } }
    }
    public var proxyAuthenType: ProxyAuthenType? { first { if case .proxyAuthenType(let v) = $0 { v } else { nil } } }
    public var proxyAuthenName: [UInt8]? { first { if case .proxyAuthenName(let v) = $0 { v } else { nil } } }
    public var proxyAuthenChallenge: [UInt8]? {
        first { if case .proxyAuthenChallenge(let v) = $0 { v } else { nil } }
    }
    public var proxyAuthenID: UInt8? { first { if case .proxyAuthenID(let v) = $0 { v } else { nil } } }
    public var proxyAuthenResponse: [UInt8]? {
        first { if case .proxyAuthenResponse(let v) = $0 { v } else { nil } }
    }
    public var callErrors: CallErrors? { first { if case .callErrors(let v) = $0 { v } else { nil } } }
    public var accm: ACCM? { first { if case .accm(let v) = $0 { v } else { nil } } }
    public var privateGroupID: [UInt8]? { first { if case .privateGroupID(let v) = $0 { v } else { nil } } }
    /// RFC 2661 4.4.6: the peer requires sequence numbers on data messages.
    public var sequencingRequired: Bool {
        avps.contains { if case .sequencingRequired = $0.value { true } else { false } }
    }
}

import L2TPWire

/// Session states across the four call types (RFC 2661 7.4, 7.5). Each call
/// type uses a subset; `idle` is represented by the session not existing.
enum SessionState: Hashable, Sendable {
    /// ICRQ or OCRQ received and reported (`.admitSession`): waiting for the
    /// caller's decision before ICRP/OCRP or CDN.
    case waitAdmission
    /// Locally opened, the tunnel is not established yet.
    case waitTunnel
    /// ICRQ or OCRQ sent, waiting for ICRP or OCRP.
    case waitReply
    /// ICRP sent (LNS incoming) or OCRP received (LNS outgoing): waiting for
    /// ICCN or OCCN.
    case waitConnect
    case established
}

/// One call inside a tunnel.
final class Session {
    let id: SessionID
    var peerSessionID: UInt16 = 0
    let callType: CallType
    var parameters: SessionParameters
    var state: SessionState
    let callSerialNumber: UInt32
    var establishDeadline: L2TPInstant
    /// Call details the peer sent in ICRQ/OCRQ and ICCN/OCCN.
    var peerBearerType: BearerCapabilities?
    var peerFramingType: FramingCapabilities?
    var peerCalledNumber: String?
    var peerCallingNumber: String?
    var peerSubAddress: String?
    var peerPhysicalChannelID: UInt32?
    var peerTxConnectSpeed: UInt32?
    var peerRxConnectSpeed: UInt32?
    var peerPrivateGroupID: [UInt8]?
    var peerSequencingRequired = false
    var proxyAuthentication: ProxyAuthentication?

    init(
        id: SessionID, callType: CallType, parameters: SessionParameters, state: SessionState,
        callSerialNumber: UInt32, establishDeadline: L2TPInstant
    ) {
        self.id = id
        self.callType = callType
        self.parameters = parameters
        self.state = state
        self.callSerialNumber = callSerialNumber
        self.establishDeadline = establishDeadline
    }

    var isEstablished: Bool { state == .established }

    /// Records what an ICRQ or OCRQ told us about the call.
    func learnRequest(_ message: ControlMessage) {
        peerBearerType = message.bearerType
        peerFramingType = message.framingType
        peerCalledNumber = message.calledNumber
        peerCallingNumber = message.callingNumber
        peerSubAddress = message.subAddress
        peerPhysicalChannelID = message.physicalChannelID
    }

    /// Records what an ICCN or OCCN told us about the connected call.
    func learnConnected(_ message: ControlMessage) {
        peerTxConnectSpeed = message.txConnectSpeed
        peerRxConnectSpeed = message.rxConnectSpeed
        peerFramingType = message.framingType ?? peerFramingType
        peerPrivateGroupID = message.privateGroupID
        peerSequencingRequired = message.sequencingRequired
    }
}

/// The public view of a session.
public struct SessionSnapshot: Hashable, Sendable {
    public var sessionID: SessionID
    public var peerSessionID: UInt16
    public var callType: CallType
    public var isEstablished: Bool
}

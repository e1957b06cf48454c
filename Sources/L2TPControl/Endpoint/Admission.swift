import L2TPWire

/// An SCCRQ asking for a tunnel, as the endpoint reports it in
/// `L2TPAction.admitTunnel`. The tunnel exists (it holds `tunnelID` and
/// waits in wait-admission) until the caller answers with
/// `L2TPEndpoint.decideTunnel`.
public struct IncomingTunnelRequest: Hashable, Sendable {
    /// The id this tunnel holds while it waits, and keeps if admitted.
    public var tunnelID: TunnelID
    public var peer: PeerAddress
    public var peerTunnelID: UInt16
    public var peerHostName: String
    public var peerVendorName: String?
    public var peerFramingCapabilities: FramingCapabilities
    public var peerBearerCapabilities: BearerCapabilities?
    /// The peer challenges us (we need a secret to answer).
    public var peerSentChallenge: Bool
}

/// An ICRQ (LNS incoming) or OCRQ (LAC outgoing), as the endpoint reports it
/// in `L2TPAction.admitSession`. The session exists (it holds `sessionID`
/// and waits in wait-admission) until `L2TPEndpoint.decideSession`.
public struct IncomingSessionRequest: Hashable, Sendable {
    public var tunnelID: TunnelID
    public var peer: PeerAddress
    public var peerHostName: String
    /// `.lnsIncoming` for ICRQ, `.lacOutgoing` for OCRQ.
    public var callType: CallType
    /// The id this session holds while it waits, and keeps if admitted.
    public var sessionID: SessionID
    public var peerSessionID: UInt16
    public var callSerialNumber: UInt32
    public var bearerType: BearerCapabilities?
    public var framingType: FramingCapabilities?
    public var calledNumber: String?
    public var callingNumber: String?
    public var subAddress: String?
    public var minimumBPS: UInt32?
    public var maximumBPS: UInt32?
    public var physicalChannelID: UInt32?
}

/// The answer to `L2TPAction.admitTunnel`.
public enum TunnelAdmission: Hashable, Sendable {
    /// Accept with these parameters (host name, secret, auth mode, windows...).
    case accept(TunnelParameters)
    /// Refuse with a StopCCN carrying this result (e.g. 4, not authorized).
    case refuse(ResultCode)
}

/// The answer to `L2TPAction.admitSession`.
public enum SessionAdmission: Hashable, Sendable {
    case accept(SessionParameters)
    /// Refuse with a CDN carrying this result (e.g. 4/5, lack of resources).
    case refuse(ResultCode)
}

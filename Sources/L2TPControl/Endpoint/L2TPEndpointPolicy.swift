import L2TPWire

/// An SCCRQ asking for a tunnel, as the policy sees it.
public struct IncomingTunnelRequest: Hashable, Sendable {
    /// The id this tunnel gets if admitted (plugins and logs name it).
    public var tunnelID: TunnelID
    public var peer: PeerAddress
    public var peerTunnelID: UInt16
    public var peerHostName: String
    public var peerVendorName: String?
    public var peerFramingCapabilities: FramingCapabilities
    public var peerBearerCapabilities: BearerCapabilities?
    /// The peer challenges us (we need a secret to answer).
    public var peerSentChallenge: Bool
    /// Tunnels the endpoint holds now (for `max_tunnels`).
    public var currentTunnelCount: Int
}

/// An ICRQ (LNS incoming) or OCRQ (LAC outgoing), as the policy sees it.
public struct IncomingSessionRequest: Hashable, Sendable {
    public var tunnelID: TunnelID
    public var peer: PeerAddress
    public var peerHostName: String
    /// `.lnsIncoming` for ICRQ, `.lacOutgoing` for OCRQ.
    public var callType: CallType
    /// The id this session gets if admitted (plugins and logs name it).
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
    /// Sessions in this tunnel now (for `max_sessions`).
    public var currentSessionCount: Int
}

public enum TunnelAdmission: Hashable, Sendable {
    /// Accept with these parameters (host name, secret, auth mode, windows...).
    case accept(TunnelParameters)
    /// Refuse with a StopCCN carrying this result (e.g. 4, not authorized).
    case refuse(ResultCode)
}

public enum SessionAdmission: Hashable, Sendable {
    case accept(SessionParameters)
    /// Refuse with a CDN carrying this result (e.g. 4/5, lack of resources).
    case refuse(ResultCode)
}

/// Admission decisions, made synchronously (hooks in the daemon must not
/// block). The endpoint consults it for every SCCRQ, ICRQ and OCRQ.
public protocol L2TPEndpointPolicy {
    func admitTunnel(_ request: IncomingTunnelRequest) -> TunnelAdmission
    func admitSession(_ request: IncomingSessionRequest) -> SessionAdmission
    /// The secret to unhide AVPs in an SCCRQ from `peer`, for peers that hide
    /// AVPs even there (RFC 2661 4.3 allows it). Nil by default: such an
    /// SCCRQ cannot be read and is dropped.
    func secretForHiddenSCCRQ(from peer: PeerAddress) -> [UInt8]?
}

extension L2TPEndpointPolicy {
    public func secretForHiddenSCCRQ(from peer: PeerAddress) -> [UInt8]? { nil }
}

/// Accepts everything with fixed parameters (tests, simple setups).
public struct AcceptAllPolicy: L2TPEndpointPolicy, Sendable {
    public var tunnelParameters: TunnelParameters
    public var sessionParameters: SessionParameters

    public init(tunnel: TunnelParameters = TunnelParameters(), session: SessionParameters = SessionParameters()) {
        self.tunnelParameters = tunnel
        self.sessionParameters = session
    }

    public func admitTunnel(_ request: IncomingTunnelRequest) -> TunnelAdmission { .accept(tunnelParameters) }

    public func admitSession(_ request: IncomingSessionRequest) -> SessionAdmission {
        var parameters = sessionParameters
        parameters.callType = request.callType
        return .accept(parameters)
    }
}

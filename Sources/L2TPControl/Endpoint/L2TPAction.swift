import L2TPWire
import NIOCore

/// Our tunnel id (the Tunnel ID the peer puts in headers to reach us).
public typealias TunnelID = UInt16
/// Our session id within a tunnel.
public typealias SessionID = UInt16

/// What the I/O layer must do after feeding the endpoint an event.
/// Actions come in the order they must be performed.
public enum L2TPAction: Sendable {
    /// Send this datagram from the tunnel's socket.
    case send(ByteBuffer, to: PeerAddress, tunnel: TunnelID)
    /// An SCCRQ asks for a tunnel. The tunnel waits (retransmitted SCCRQs
    /// are acknowledged, nothing else happens) until the caller answers with
    /// `L2TPEndpoint.decideTunnel`, at once or later; `establishTimeout`
    /// still runs.
    case admitTunnel(IncomingTunnelRequest)
    /// An ICRQ or OCRQ asks for a session; answer with
    /// `L2TPEndpoint.decideSession`. The session's establish timeout runs.
    case admitSession(IncomingSessionRequest)
    /// The control connection is established (RFC 2661 7.2.1).
    case tunnelUp(TunnelInfo)
    /// The tunnel is no longer usable; its sessions were reported down first.
    /// The connection may linger (closing) to ack retransmissions.
    case tunnelDown(TunnelID, TunnelDownReason)
    /// All state of the tunnel is gone: close its socket, forget its id.
    case tunnelFreed(TunnelID)
    /// The SCCRP came from another UDP port than the SCCRQ went to
    /// (RFC 2661 8.1): reconnect the tunnel's socket to `PeerAddress`.
    case tunnelPeerMoved(TunnelID, PeerAddress)
    /// A session is established: create the kernel session, start PPP.
    case sessionUp(SessionInfo)
    /// A session is gone (or never came up).
    case sessionDown(TunnelID, SessionID, SessionDownReason)
    /// A waiting session moved to the tunnel that won a tie break (RFC 2661 4.4.3).
    case sessionMoved(SessionID, from: TunnelID, to: TunnelID)
    /// The peer sent Set-Link-Info (RFC 2661 6.14).
    case setLinkInfo(TunnelID, SessionID, ACCM)
    /// The peer sent WAN-Error-Notify (RFC 2661 6.13).
    case wanErrorNotify(TunnelID, SessionID, CallErrors)
}

/// Why a tunnel went down.
public enum TunnelDownReason: Hashable, Sendable, CustomStringConvertible {
    /// We sent StopCCN with this result (admin close, error, refusal).
    case closedLocally(ResultCode)
    /// We sent StopCCN with this result because the peer's message was
    /// malformed. The result's message is the words the peer read;
    /// `detail` is the wire error's full description (code, field, byte
    /// offset), for our logs only.
    case malformedMessage(ResultCode, detail: String)
    /// The peer sent StopCCN with this result.
    case closedByPeer(ResultCode)
    /// No acknowledgement after `maxRetries` retransmissions (RFC 2661 5.8).
    case peerUnreachable
    /// Not established within `establishTimeout`.
    case establishTimeout
    /// Lost the tie break; the peer's tunnel `replacement` carries on (RFC 2661 4.4.3).
    case lostTieBreaker(replacement: TunnelID?)
    /// A half-open tunnel (SCCRQ received, never established) discarded
    /// without a word because the half-open table was full and it was the
    /// oldest: a flood of SCCRQs from forged sources must not grow state.
    case evicted

    public var description: String {
        switch self {
        case .closedLocally(let code): "closed locally (\(code))"
        case .malformedMessage(let code, let detail): "closed locally (\(code)); malformed message: \(detail)"
        case .closedByPeer(let code): "closed by peer (\(code))"
        case .peerUnreachable: "peer unreachable"
        case .establishTimeout: "establish timeout"
        case .lostTieBreaker(let id): "lost tie breaker" + (id.map { " to tunnel \($0)" } ?? "")
        case .evicted: "half-open tunnel evicted (half-open table full)"
        }
    }
}

/// Why a session went down.
public enum SessionDownReason: Hashable, Sendable, CustomStringConvertible {
    /// We sent CDN with this result.
    case closedLocally(ResultCode)
    /// We sent CDN with this result because the peer's message was
    /// malformed; `detail` as in `TunnelDownReason.malformedMessage`.
    case malformedMessage(ResultCode, detail: String)
    /// The peer sent CDN with this result (and Q.931 cause, if any).
    case closedByPeer(ResultCode, Q931Cause?)
    /// The tunnel went down underneath it.
    case tunnelDown(TunnelDownReason)

    public var description: String {
        switch self {
        case .closedLocally(let code): "closed locally (\(code))"
        case .malformedMessage(let code, let detail): "closed locally (\(code)); malformed message: \(detail)"
        case .closedByPeer(let code, _): "closed by peer (\(code))"
        case .tunnelDown(let reason): "tunnel down: \(reason)"
        }
    }
}

/// A tunnel as it came up.
public struct TunnelInfo: Hashable, Sendable {
    public var tunnelID: TunnelID
    public var peerTunnelID: UInt16
    public var peer: PeerAddress
    /// We sent the SCCRQ.
    public var isInitiator: Bool
    public var peerHostName: String
    public var peerVendorName: String?
    public var peerFirmwareRevision: UInt16?
    public var peerFramingCapabilities: FramingCapabilities
    public var peerBearerCapabilities: BearerCapabilities
    public var peerProtocolVersion: ProtocolVersion
    public var peerReceiveWindow: UInt16
}

/// A session as it came up: what the kernel and PPP need.
public struct SessionInfo: Hashable, Sendable {
    public var tunnelID: TunnelID
    public var sessionID: SessionID
    public var peerTunnelID: UInt16
    public var peerSessionID: UInt16
    public var peer: PeerAddress
    public var callType: CallType
    public var callSerialNumber: UInt32
    public var bearerType: BearerCapabilities?
    public var framingType: FramingCapabilities?
    public var txConnectSpeed: UInt32?
    public var rxConnectSpeed: UInt32?
    public var calledNumber: String?
    public var callingNumber: String?
    public var subAddress: String?
    public var physicalChannelID: UInt32?
    public var privateGroupID: [UInt8]?
    /// Either side asked for sequenced data messages.
    public var sequencingRequired: Bool
    /// Proxy authentication received in ICCN (LNS incoming), for the PPP layer.
    public var proxyAuthentication: ProxyAuthentication?
}

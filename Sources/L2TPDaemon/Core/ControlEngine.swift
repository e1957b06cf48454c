import NIOCore

/// The seam between the daemon and the sans-IO control layer.
///
/// The daemon owns sockets, limits, profiles and logs; the engine owns every
/// control connection (RFC 2661 5.8 transport, section 7 state machines).
/// The production engine wraps L2TPControl's `L2TPEndpoint`
/// (`EndpointControlEngine`); tests use a scripted one. Time is a monotonic
/// nanosecond count supplied by the caller, never read by the engine.
public protocol ControlEngine: AnyObject {
    /// A datagram from a peer. The engine decides whether it is a new tunnel
    /// request (reported as `.tunnelRequested`, answered by `decideTunnel`),
    /// a message for a known tunnel, or junk.
    func receive(_ datagram: ByteBuffer, from peer: IPv4SocketAddress, now: UInt64) -> [EngineOutput]

    /// Starts a locally created tunnel: the engine picks a random tunnel id
    /// and returns the SCCRQ to send.
    func openTunnel(to peer: IPv4SocketAddress, settings: TunnelSettings, now: UInt64) throws(DaemonError) -> (
        tunnelID: UInt16, outputs: [EngineOutput]
    )

    /// Sends StopCCN (RFC 2661 6.4) with "general request to clear".
    func closeTunnel(_ tunnelID: UInt16, now: UInt64) -> [EngineOutput]

    /// Sends StopCCN carrying `refusal`'s result code (a plugin refused the tunnel).
    func closeTunnel(_ tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput]

    /// Shutdown: StopCCN result 6 "requester is being shut down" to every peer.
    func closeAllTunnels(now: UInt64) -> [EngineOutput]

    /// Starts a locally initiated session (LAC incoming call or LNS outgoing call).
    func openSession(in tunnelID: UInt16, settings: SessionSettings, now: UInt64) throws(DaemonError) -> (
        sessionID: UInt16, outputs: [EngineOutput]
    )

    /// Answers a `.tunnelRequested`: SCCRP or StopCCN with the refusal's
    /// result code. Nothing happens if the tunnel no longer waits (it was
    /// closed by its peer, timed out or was evicted meanwhile).
    func decideTunnel(_ tunnelID: UInt16, _ admission: Admission<TunnelSettings>, now: UInt64) -> [EngineOutput]

    /// Answers a `.sessionRequested`: ICRP/OCRP or CDN.
    func decideSession(
        _ sessionID: UInt16, in tunnelID: UInt16, _ admission: Admission<SessionSettings>, now: UInt64
    ) -> [EngineOutput]

    /// Sends CDN (RFC 2661 6.12) with "administrative".
    func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, now: UInt64) -> [EngineOutput]

    /// Sends CDN carrying `refusal`'s result code.
    func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput]

    /// The kernel saw data on the tunnel: Hello waits for silence on data
    /// and control alike (RFC 2661 6.5).
    func noteDataTraffic(tunnel tunnelID: UInt16, now: UInt64)

    /// Retransmissions, acks, Hellos and timeouts due by `now`.
    func handleTimeout(now: UInt64) -> [EngineOutput]

    /// When `handleTimeout` must next be called, if ever.
    var nextDeadline: UInt64? { get }

    /// Per message type counters (RX good, RX bad, TX), by message name.
    var messageStatistics: [MessageStatistics] { get }

    func resetStatistics()

    /// Control messages sent but not yet acknowledged, or queued, over all
    /// tunnels: SIGTERM waits for this to reach zero (StopCCN acked).
    var unacknowledgedMessages: Int { get }

    /// How many tunnels peers asked for may wait half-open (SCCRQ answered,
    /// SCCCN not yet received); beyond it the oldest is dropped silently.
    var maxHalfOpenTunnels: Int { get set }

    /// What the engine dropped without a decision of the daemon's, since start.
    var controlDrops: ControlDrops { get }

    /// Control-channel counters of one tunnel, for `tunnel show` and the RPC.
    func tunnelControlStatistics(_ tunnelID: UInt16) -> TunnelControlStatistics?

    /// Sends Set-Link-Info with the ACCM pppd negotiated (RFC 2661 6.14, 4.4.6).
    func setLinkInfo(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32, now: UInt64)
        -> [EngineOutput]

    /// The call AVPs of an established session (plugins' snapshots), until it goes down.
    func sessionCallDetails(tunnelID: UInt16, sessionID: UInt16) -> SessionCallDetails?
}

extension ControlEngine {
    /// Engines without session reports (test doubles) send nothing.
    public func setLinkInfo(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32, now: UInt64)
        -> [EngineOutput]
    { [] }
    public func sessionCallDetails(tunnelID: UInt16, sessionID: UInt16) -> SessionCallDetails? { nil }
    public var controlDrops: ControlDrops { ControlDrops() }
}

/// Datagrams and tunnels the engine dropped on its own, as running totals.
public struct ControlDrops: Hashable, Sendable {
    /// Control messages for a known tunnel from another address or port (RFC 2661 8.1).
    public var foreignSource: UInt64
    /// Half-open tunnels discarded, oldest first, because the table was full.
    public var halfOpenEvicted: UInt64
    public init(foreignSource: UInt64 = 0, halfOpenEvicted: UInt64 = 0) {
        self.foreignSource = foreignSource
        self.halfOpenEvicted = halfOpenEvicted
    }
}

/// One tunnel's control-channel counters and transport state.
public struct TunnelControlStatistics: Hashable, Sendable {
    public var state: String
    public var messagesSent: UInt64
    public var messagesReceived: UInt64
    public var retransmissions: UInt64
    public var zlbSent: UInt64
    public var zlbReceived: UInt64
    public var duplicatesReceived: UInt64
    public var outOfOrderReceived: UInt64
    public var badMessagesReceived: UInt64
    public var helloSent: UInt64
    public var unacknowledged: Int
    public var congestionWindow: Int
    public var peerWindow: Int

    public init(
        state: String, messagesSent: UInt64 = 0, messagesReceived: UInt64 = 0, retransmissions: UInt64 = 0,
        zlbSent: UInt64 = 0, zlbReceived: UInt64 = 0, duplicatesReceived: UInt64 = 0, outOfOrderReceived: UInt64 = 0,
        badMessagesReceived: UInt64 = 0, helloSent: UInt64 = 0, unacknowledged: Int = 0, congestionWindow: Int = 0,
        peerWindow: Int = 0
    ) {
        self.state = state
        self.messagesSent = messagesSent
        self.messagesReceived = messagesReceived
        self.retransmissions = retransmissions
        self.zlbSent = zlbSent
        self.zlbReceived = zlbReceived
        self.duplicatesReceived = duplicatesReceived
        self.outOfOrderReceived = outOfOrderReceived
        self.badMessagesReceived = badMessagesReceived
        self.helloSent = helloSent
        self.unacknowledged = unacknowledged
        self.congestionWindow = congestionWindow
        self.peerWindow = peerWindow
    }
}

/// An SCCRQ, as the daemon's limits see it.
public struct TunnelRequest: Hashable, Sendable {
    public var peer: IPv4SocketAddress
    public var peerHostName: String
    public var peerTunnelID: UInt16
    /// The id the tunnel holds while it waits for the decision.
    public var tunnelID: UInt16
    public init(peer: IPv4SocketAddress, peerHostName: String, peerTunnelID: UInt16, tunnelID: UInt16 = 0) {
        self.peer = peer
        self.peerHostName = peerHostName
        self.peerTunnelID = peerTunnelID
        self.tunnelID = tunnelID
    }
}

/// An ICRQ or OCRQ, as the daemon's limits see it.
public struct SessionRequest: Hashable, Sendable {
    public var tunnelID: UInt16
    public var peerSessionID: UInt16
    /// True for an OCRQ (we are the LAC of an outgoing call).
    public var isOutgoingCall: Bool
    /// The id the session holds while it waits for the decision.
    public var sessionID: UInt16
    /// What the ICRQ/OCRQ said about the call (RFC 2661 4.4.5), for plugins.
    public var callSerialNumber: UInt32
    public var callingNumber: String?
    public var calledNumber: String?
    public var subAddress: String?
    public init(
        tunnelID: UInt16, peerSessionID: UInt16, isOutgoingCall: Bool, sessionID: UInt16 = 0,
        callSerialNumber: UInt32 = 0, callingNumber: String? = nil, calledNumber: String? = nil,
        subAddress: String? = nil
    ) {
        self.tunnelID = tunnelID
        self.peerSessionID = peerSessionID
        self.isOutgoingCall = isOutgoingCall
        self.sessionID = sessionID
        self.callSerialNumber = callSerialNumber
        self.callingNumber = callingNumber
        self.calledNumber = calledNumber
        self.subAddress = subAddress
    }
}

public enum Admission<Settings: Hashable & Sendable>: Hashable, Sendable {
    case accept(Settings)
    case refuse(Refusal)
}

/// A refusal with the RFC 2661 Result Code AVP to put on the wire and the
/// operator-facing reason (which limit refused).
public struct Refusal: Hashable, Sendable {
    /// StopCCN (4.4.2): 2 general error, 4 not authorized, 6 shutting down.
    /// CDN: 4 temporary lack of facilities, 5 permanent lack of facilities.
    public var resultCode: UInt16
    /// General error code (RFC 2661 4.4.2), e.g. 4 insufficient resources.
    public var errorCode: UInt16?
    public var reason: String
    /// A `max_*` limit was reached (a later create may succeed once something
    /// closes); otherwise policy (`deny_*`, draining, shutdown, a plugin) refused.
    public var isCapacityLimit: Bool

    public init(resultCode: UInt16, errorCode: UInt16? = nil, reason: String, isCapacityLimit: Bool = false) {
        self.resultCode = resultCode
        self.errorCode = errorCode
        self.reason = reason
        self.isCapacityLimit = isCapacityLimit
    }
}

/// What the engine asks the daemon to do or tells it happened.
public enum EngineOutput: Sendable {
    /// Send from the tunnel's socket (tunnel 0: the listener, e.g. a StopCCN to an unknown peer).
    case send(ByteBuffer, to: IPv4SocketAddress, tunnel: UInt16)
    case event(ControlEvent)
}

/// Tunnel and session life-cycle events, in the order they happened.
public enum ControlEvent: Hashable, Sendable {
    /// An SCCRQ asks for a tunnel; it holds `request.tunnelID` and waits for
    /// `ControlEngine.decideTunnel` (at once, or after a plugin answered).
    case tunnelRequested(TunnelRequest)
    /// An ICRQ or OCRQ asks for a session in an established tunnel; it holds
    /// `request.sessionID` and waits for `ControlEngine.decideSession`.
    case sessionRequested(SessionRequest)
    case tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, peer: IPv4SocketAddress, peerHostName: String)
    case tunnelDown(tunnelID: UInt16, reason: String, byPeer: Bool)
    /// All state gone; close the socket.
    case tunnelFreed(tunnelID: UInt16)
    /// The SCCRP came from another port (RFC 2661 8.1): reconnect the socket.
    case tunnelPeerMoved(tunnelID: UInt16, peer: IPv4SocketAddress)
    /// `sequencingRequired`: either side sent the Sequencing Required AVP
    /// (RFC 2661 4.4.6, ICCN/OCCN): both then number their data messages.
    case sessionUp(tunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16, sequencingRequired: Bool = false)
    case sessionDown(tunnelID: UInt16, sessionID: UInt16, reason: String)
    /// The peer's Set-Link-Info (RFC 2661 6.14): the ACCM its PPP end
    /// negotiated, for the LAC to apply.
    case peerSetLinkInfo(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32)
    /// A trace line from the engine (PROTOCOL/FSM/AVP level).
    case trace(tunnelID: UInt16?, flag: UInt32, message: String)
}

/// RX good, RX bad and TX counts of one message type.
public struct MessageStatistics: Hashable, Sendable {
    public var name: String
    public var rxGood: UInt64
    public var rxBad: UInt64
    public var tx: UInt64
    public init(name: String, rxGood: UInt64, rxBad: UInt64, tx: UInt64) {
        self.name = name
        self.rxGood = rxGood
        self.rxBad = rxBad
        self.tx = tx
    }
}

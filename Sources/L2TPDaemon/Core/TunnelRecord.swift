import L2TPConfig

/// Where a tunnel or session is in its life, as `tunnel list` shows it.
public enum EntityState: String, Hashable, Sendable {
    /// A peer's SCCRQ, ICRQ or OCRQ waiting for the daemon's (or a plugin's) decision.
    case waitingAdmission = "WAITADMISSION"
    case opening = "WAITCTLREPLY"
    case established = "ESTABLISHED"
    case closing = "CLOSING"
    case down = "IDLE"
}

/// The daemon's view of one tunnel: what the operator asked for plus what the
/// control layer reported. The control state machine itself lives in the engine.
public struct TunnelRecord: Hashable, Sendable {
    public var tunnelID: UInt16
    public var settings: TunnelSettings
    public var peer: IPv4SocketAddress
    public var local: IPv4SocketAddress?
    public var peerTunnelID: UInt16 = 0
    public var peerHostName: String?
    public var state: EntityState = .opening
    /// Created by a `tunnel create` (config file or management), not by a peer's SCCRQ.
    public var createdLocally: Bool
    /// Wall-clock seconds since the epoch.
    public var createdAt: Int
    public var sessions: [UInt16: SessionRecord] = [:]
    public var counters = TunnelCounters()
    /// The `tunnel create` that made it (local tunnels), for `config save`.
    public var origin: ParsedCommand?
    /// `tunnel delete` was given: the operator's view forgets it at once
    /// (its name is free, `config save` skips it) while the control
    /// connection lingers in closing to acknowledge the peer.
    public var isDeleted = false

    /// The configured `tunnel_name`; none once the tunnel is deleted.
    public var name: String? { isDeleted ? nil : settings.tunnelName }
}

/// The daemon's view of one session.
public struct SessionRecord: Hashable, Sendable {
    public var sessionID: UInt16
    public var tunnelID: UInt16
    public var settings: SessionSettings
    public var peerSessionID: UInt16 = 0
    public var state: EntityState = .opening
    public var createdLocally: Bool
    public var createdAt: Int
    /// The `session create` that made it (local sessions), for `config save`.
    public var origin: ParsedCommand?
    /// The ACCM of the peer's last Set-Link-Info (LAC sessions), for `session show`.
    public var peerACCM: PeerACCM?

    public var name: String? { settings.sessionName }
}

/// Send and receive ACCM as an LNS's Set-Link-Info gave them (RFC 2661 4.4.6).
public struct PeerACCM: Hashable, Sendable {
    public var sendACCM: UInt32
    public var receiveACCM: UInt32
    public init(sendACCM: UInt32, receiveACCM: UInt32) {
        self.sendACCM = sendACCM
        self.receiveACCM = receiveACCM
    }
}

/// Per tunnel datagram counters kept at the socket edge.
public struct TunnelCounters: Hashable, Sendable {
    public var rxPackets: UInt64 = 0
    public var rxBytes: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var txBytes: UInt64 = 0
    public init() {}
}

/// Daemon-wide counters (`system show statistics`, beyond the per message type table).
public struct DaemonCounters: Hashable, Sendable {
    public var tunnelsCreated: UInt64 = 0
    public var tunnelsRefused: UInt64 = 0
    public var sessionsCreated: UInt64 = 0
    public var sessionsRefused: UInt64 = 0
    public var tunnelsRecreated: UInt64 = 0
    public var datagramsDropped: UInt64 = 0
    public init() {}
}

import L2TPConfig
import L2TPPluginHost

/// The daemon's records turned into the plugin host's value snapshots
/// (`TunnelInfo`, `SessionInfo`, `SocketInfo`). Plugins never see the
/// daemon's own types, so those can change without touching the C ABI.
enum PluginSnapshots {
    static func dotted(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xff).\(address >> 8 & 0xff).\(address & 0xff)"
    }

    static func tunnel(_ record: TunnelRecord) -> TunnelInfo {
        TunnelInfo(
            tunnelID: record.tunnelID, peerTunnelID: record.peerTunnelID,
            localAddress: record.local.map { dotted($0.address) } ?? "", localPort: record.local?.port ?? 0,
            peerAddress: dotted(record.peer.address), peerPort: record.peer.port,
            peerHostName: record.peerHostName, tunnelName: record.name, createdByPeer: !record.createdLocally)
    }

    /// An SCCRQ being admitted: the daemon has no record yet.
    static func incomingTunnel(_ request: TunnelRequest, local: IPv4SocketAddress, settings: TunnelSettings) -> TunnelInfo {
        TunnelInfo(
            tunnelID: request.tunnelID, peerTunnelID: request.peerTunnelID,
            localAddress: dotted(local.address), localPort: local.port,
            peerAddress: dotted(request.peer.address), peerPort: request.peer.port,
            peerHostName: request.peerHostName.isEmpty ? nil : request.peerHostName,
            tunnelName: settings.tunnelName, createdByPeer: true)
    }

    static func socket(tunnelID: UInt16, local: IPv4SocketAddress, peer: IPv4SocketAddress) -> SocketInfo {
        SocketInfo(
            tunnelID: tunnelID, localAddress: dotted(local.address), localPort: local.port,
            peerAddress: dotted(peer.address), peerPort: peer.port)
    }

    /// RFC 2661 section 5: who placed the call, from `session_type`, else
    /// from which side created the tunnel.
    static func callType(_ settings: SessionSettings, tunnelCreatedLocally: Bool) -> SessionInfo.CallType {
        switch settings.sessionType {
        case .laic: return .lacIncoming
        case .laoc: return .lacOutgoing
        case .lnic: return .lnsIncoming
        case .lnoc: return .lnsOutgoing
        case nil: return tunnelCreatedLocally ? .lacIncoming : .lnsIncoming
        }
    }

    /// The session's effective configuration as `session_get_param` text:
    /// the PPP profile, then the session profile, then the session's own
    /// settings (later entries win), booleans "yes"/"no".
    static func parameters(_ settings: SessionSettings, tunnel: TunnelSettings, profiles: ProfileStore) -> [String: String] {
        var values: [String: String] = [:]
        for (kind, name) in [(ProfileKind.ppp, settings.pppProfileName), (.session, settings.sessionProfileName)] {
            let explicit = profiles.explicitValues(kind, name) ?? [:]
            for spec in ParameterTables.profile(kind) {
                if let text = render(explicit[spec.name] ?? spec.defaultValue) { values[spec.name.rawValue] = text }
            }
        }
        values["ppp_profile_name"] = settings.pppProfileName
        values["session_profile_name"] = settings.sessionProfileName
        if let name = settings.sessionName { values["session_name"] = name }
        if let user = settings.userName { values["user_name"] = user }
        if let interface = settings.interfaceName { values["interface_name"] = interface }
        if let type = settings.sessionType { values["session_type"] = type.rawValue }
        values["no_ppp"] = settings.noPPP ? "yes" : "no"
        values["sequencing_required"] = settings.sequencingRequired ? "yes" : "no"
        values["use_sequence_numbers"] = settings.useSequenceNumbers ? "yes" : "no"
        values["tunnel_mtu"] = String(tunnel.mtu)
        return values
    }

    private static func render(_ value: ConfigValue) -> String? {
        switch value {
        case .notSet: return nil
        case .bool(let b): return b ? "yes" : "no"
        case .integer(let n), .seconds(let n): return String(n)
        case .ipv4(let a): return a.description
        case .netmask(let m): return m.description
        case .choice(let c), .string(let c): return c
        case .traceFlags(let t): return t.description
        case .connectSpeed(let c): return c.description
        }
    }
}

/// What an ICRQ/OCRQ said about a call, kept from admission until the
/// session is deleted (the daemon's `SessionRecord` does not hold it).
struct PluginCallDetails: Hashable, Sendable {
    var callSerialNumber: UInt32?
    var callingNumber: String?
    var calledNumber: String?
    var subAddress: String?
}

/// What pppd reported about a session's link (PPP up).
public struct PluginPPPState: Hashable, Sendable {
    public var interfaceName: String?
    public var unit: UInt32?
    public var userName: String?
    public init(interfaceName: String? = nil, unit: UInt32? = nil, userName: String? = nil) {
        self.interfaceName = interfaceName
        self.unit = unit
        self.userName = userName
    }
}

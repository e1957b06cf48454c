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
    static func incomingTunnel(_ request: TunnelRequest, local: IPv4SocketAddress, settings: TunnelSettings)
        -> TunnelInfo
    {
        TunnelInfo(
            tunnelID: request.tunnelID, peerTunnelID: request.peerTunnelID,
            localAddress: dotted(local.address), localPort: local.port,
            peerAddress: dotted(request.peer.address), peerPort: request.peer.port,
            peerHostName: request.peerHostName.isEmpty ? nil : request.peerHostName,
            tunnelName: settings.tunnelName, createdByPeer: true)
    }

    /// A session's snapshot for its down hooks: while openl2tpd exits it
    /// carries `daemon_stopping=yes`, so a plugin may hurry (ppp_unix gives
    /// its pppd shutdown_grace, not kill_grace).
    static func goingDown(_ info: SessionInfo, daemonStopping: Bool) -> SessionInfo {
        guard daemonStopping else { return info }
        var info = info
        info.parameters["daemon_stopping"] = "yes"
        return info
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

    /// The session's effective configuration as `session_get_param` text
    /// (docs/ppp.md, "What the daemon must put in SessionInfo.parameters"):
    /// the PPP profile with defaults, the session profile, then the
    /// session's own settings (later entries win); the session's trace flags
    /// as `session_trace_flags` (plain `trace_flags` is the PPP profile's),
    /// the tunnel's MTU as `tunnel_mtu`. Booleans "yes"/"no", numbers (trace
    /// flags too) decimal; unset values
    /// are left out.
    static func parameters(
        _ settings: SessionSettings, tunnel: TunnelSettings, profiles: ProfileStore,
        system: SystemSettings
    ) -> [String: String] {
        var values: [String: String] = [:]
        for (kind, name) in [(ProfileKind.ppp, settings.pppProfileName), (.session, settings.sessionProfileName)] {
            let explicit = profiles.explicitValues(kind, name) ?? [:]
            for spec in ParameterTables.profile(kind) {
                guard let text = render(explicit[spec.name] ?? spec.defaultValue), !text.isEmpty else { continue }
                let key = kind == .session && spec.name == .traceFlags ? "session_trace_flags" : spec.name.rawValue
                values[key] = text
            }
        }
        values["session_trace_flags"] = String(settings.traceFlags.rawValue)
        values["reorder_timeout"] = String(settings.reorderTimeout)
        if let password = settings.userPassword { values["user_password"] = password }
        values["session_establish_timeout"] = String(system.sessionEstablishTimeout)
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
        // A number, as the ABI documents for session_get_param (docs/ppp.md);
        // ppp_unix tests the PPP and DATA bits of it.
        case .traceFlags(let t): return String(t.rawValue)
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
    var proxyAuthentication: SessionInfo.ProxyAuthentication?
}

/// What pppd reported about a session's link (PPP up).
public struct PluginPPPState: Hashable, Sendable {
    public var interfaceName: String?
    public var unit: UInt32?
    public var userName: String?
    /// False once pppd reported the link down: interface and user stay for
    /// display until the session goes, but a repeated "down" is not news.
    public var isUp: Bool
    public init(interfaceName: String? = nil, unit: UInt32? = nil, userName: String? = nil, isUp: Bool = true) {
        self.interfaceName = interfaceName
        self.unit = unit
        self.userName = userName
        self.isUp = isUp
    }
}

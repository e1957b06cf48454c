/// pppd's command line for one session, built from the session's effective
/// configuration (a pure function: parameters in, argv out).
///
/// Keys are l2tpconfig parameter names (PPP profile, session, `tunnel_mtu`,
/// `session_trace_flags`), as `session_get_param` returns them. Option names
/// are pppd 2.4.9's (pppd(8)) and its pppol2tp.so / openl2tp.so / radius.so
/// plugins'. Values that do not parse are left out and reported in `problems`.
public struct PPPDArguments: Hashable, Sendable {
    /// argv[1...] (argv[0] is the pppd path).
    public var arguments: [String]
    /// "parameter=value: why it was ignored", for the log.
    public var problems: [String]

    /// Every parameter the builder reads (the plugin asks the daemon for these).
    public static let parameterNames: [String] = [
        // PPP profile
        "trace_flags", "asyncmap", "mtu", "mru", "sync_mode", "auth_pap", "auth_chap", "auth_mschapv1",
        "auth_mschapv2", "auth_eap", "auth_none", "auth_peer", "chap_interval", "chap_max_challenge",
        "chap_restart", "pap_max_auth_requests", "pap_restart_interval", "pap_timeout", "idle_timeout",
        "ipcp_max_config_requests", "ipcp_max_config_naks", "ipcp_max_terminate_requests",
        "ipcp_retransmit_interval", "lcp_echo_failure_count", "lcp_echo_interval", "lcp_max_config_requests",
        "lcp_max_config_naks", "lcp_max_terminate_requests", "lcp_retransmit_interval", "max_connect_time",
        "max_failure_count", "local_ipaddr", "remote_ipaddr", "dns_ipaddr_pri", "dns_ipaddr_sec",
        "wins_ipaddr_pri", "wins_ipaddr_sec", "use_radius", "radius_hint", "local_name", "remote_name",
        "default_route", "multilink", "proxy_arp",
        // session
        "session_trace_flags", "sequencing_required", "use_sequence_numbers", "reorder_timeout",
        "interface_name", "user_name", "user_password",
        // tunnel
        "tunnel_mtu",
    ]

    /// The fd number the session socket has in pppd.
    public static let sessionSocketFD: Int32 = 3

    /// PPP trace flag (interface doc, "Trace flags"): turns on pppd `debug`.
    static let tracePPP: UInt32 = 1024
    /// DATA trace flag on the session: kernel debug for all data categories.
    static let traceData: UInt32 = 256

    /// Session facts that are not configuration.
    public struct Session: Hashable, Sendable {
        public var tunnelID: UInt16
        public var sessionID: UInt16
        /// LNS side (call types lnic/lnoc): pppd runs in LNS mode.
        public var isLNS: Bool

        public init(tunnelID: UInt16, sessionID: UInt16, isLNS: Bool) {
            self.tunnelID = tunnelID
            self.sessionID = sessionID
            self.isLNS = isLNS
        }
    }

    public init(session: Session, parameters: [String: String]) {
        var builder = Builder(parameters: parameters)
        builder.build(session)
        arguments = builder.arguments
        problems = builder.problems
    }
}

// MARK: - Building

private struct Builder {
    let parameters: [String: String]
    var arguments: [String] = []
    var problems: [String] = []

    init(parameters: [String: String]) { self.parameters = parameters }

    mutating func build(_ session: PPPDArguments.Session) {
        // The PPPoL2TP channel and the event plugin come first: later options
        // (pppol2tp_*) belong to these plugins.
        append("plugin", "pppol2tp.so", "plugin", "openl2tp.so", "pppol2tp", "\(PPPDArguments.sessionSocketFD)")
        append("pppol2tp_tunnel_id", "\(session.tunnelID)", "pppol2tp_session_id", "\(session.sessionID)")
        if session.isLNS { append("pppol2tp_lns_mode") }
        if flag("use_sequence_numbers") { append("pppol2tp_send_seq") }
        if flag("sequencing_required") { append("pppol2tp_recv_seq") }
        if let reorder = number("reorder_timeout"), reorder > 0 { append("pppol2tp_reorderto", "\(reorder)") }
        if let sessionTrace = number("session_trace_flags"), sessionTrace & PPPDArguments.traceData != 0 {
            append("pppol2tp_debug_mask", "15")
        }
        if let name = text("interface_name") {
            if Self.isInterfaceName(name) {
                append("pppol2tp_ifname", name)
            } else {
                problems.append("interface_name=\(name): not a valid interface name (1-15 characters, no / or spaces)")
            }
        }

        // Process behaviour: stay in the foreground (we supervise it), no
        // modem lines, no compression (CCP and Van Jacobson headers).
        append("nodetach", "local", "noccp", "novj", "novjccomp")
        if text("sync_mode") != "async" { append("sync") }
        if let map = number("asyncmap") { append("asyncmap", String(map, radix: 16)) }
        if let trace = number("trace_flags"), trace & PPPDArguments.tracePPP != 0 { append("debug") }

        addresses()
        sizes()
        authentication()
        timers()

        if flag("default_route") { append("defaultroute") }
        if flag("proxy_arp") { append("proxyarp") }
        if flag("multilink") { append("multilink") }
    }

    // MARK: Addresses and sizes

    mutating func addresses() {
        let local = address("local_ipaddr")
        let remote = address("remote_ipaddr")
        if local != nil || remote != nil { append("\(local ?? ""):\(remote ?? "")") }
        for name in ["dns_ipaddr_pri", "dns_ipaddr_sec"] { if let dns = address(name) { append("ms-dns", dns) } }
        for name in ["wins_ipaddr_pri", "wins_ipaddr_sec"] { if let wins = address(name) { append("ms-wins", wins) } }
    }

    /// MTU/MRU never above the tunnel's MTU: a PPP frame must fit one L2TP
    /// data packet.
    mutating func sizes() {
        let tunnelMTU = number("tunnel_mtu")
        for name in ["mtu", "mru"] {
            guard var size = number(name) else { continue }
            if let tunnelMTU, tunnelMTU > 0, size > tunnelMTU { size = tunnelMTU }
            append(name, "\(size)")
        }
    }

    // MARK: Authentication

    /// pppd's names per method, in the order they are considered.
    static let methods: [(parameter: String, refuse: String, require: String)] = [
        ("auth_pap", "refuse-pap", "require-pap"),
        ("auth_chap", "refuse-chap", "require-chap"),
        ("auth_mschapv1", "refuse-mschap", "require-mschap"),
        ("auth_mschapv2", "refuse-mschap-v2", "require-mschap-v2"),
        ("auth_eap", "refuse-eap", "require-eap"),
    ]

    /// `auth_X=no` refuses method X (in either direction); `auth_peer=yes`
    /// makes us authenticate the peer (`auth`, and `require-X` when exactly
    /// one method is left); `auth_none=yes` or no `auth_peer` gives `noauth`.
    mutating func authentication() {
        var allowed: [String] = []
        for method in Self.methods {
            if flag(method.parameter, default: true) {
                allowed.append(method.require)
            } else {
                append(method.refuse)
            }
        }
        if flag("auth_peer") && !flag("auth_none") {
            append("auth")
            if allowed.count == 1 { append(allowed[0]) }
        } else {
            append("noauth")
        }
        if let name = text("local_name") { append("name", name) }
        if let name = text("remote_name") { append("remotename", name) }
        if let user = text("user_name") { append("user", user) }
        if let password = text("user_password") { append("password", password) }
        if flag("use_radius") {
            append("plugin", "radius.so", "plugin", "radattr.so")
            if let hint = text("radius_hint") { append("radius-config-file", hint) }
        }
    }

    // MARK: Timers and counters

    /// (parameter, pppd option, emitted when 0 too).
    static let numericOptions: [(String, String, Bool)] = [
        ("lcp_echo_failure_count", "lcp-echo-failure", true),
        ("lcp_echo_interval", "lcp-echo-interval", true),
        ("lcp_max_config_requests", "lcp-max-configure", false),
        ("lcp_max_config_naks", "lcp-max-failure", false),
        ("lcp_max_terminate_requests", "lcp-max-terminate", false),
        ("lcp_retransmit_interval", "lcp-restart", false),
        ("ipcp_max_config_requests", "ipcp-max-configure", false),
        ("ipcp_max_config_naks", "ipcp-max-failure", false),
        ("ipcp_max_terminate_requests", "ipcp-max-terminate", false),
        ("ipcp_retransmit_interval", "ipcp-restart", false),
        ("chap_interval", "chap-interval", false),
        ("chap_max_challenge", "chap-max-challenge", false),
        ("chap_restart", "chap-restart", false),
        ("pap_max_auth_requests", "pap-max-authreq", false),
        ("pap_restart_interval", "pap-restart", false),
        ("pap_timeout", "pap-timeout", false),
        ("idle_timeout", "idle", false),
        ("max_connect_time", "maxconnect", false),
        ("max_failure_count", "maxfail", true),
    ]

    mutating func timers() {
        for (parameter, option, zeroMeaningful) in Self.numericOptions {
            guard let value = number(parameter) else { continue }
            if value == 0 && !zeroMeaningful { continue }
            append(option, "\(value)")
        }
    }

    // MARK: Reading values

    mutating func append(_ words: String...) { arguments += words }

    func text(_ name: String) -> String? {
        guard let value = parameters[name], !value.isEmpty else { return nil }
        return value
    }

    mutating func flag(_ name: String, default defaultValue: Bool = false) -> Bool {
        guard let value = text(name) else { return defaultValue }
        switch value.lowercased() {
        case "yes", "on", "true", "1": return true
        case "no", "off", "false", "0": return false
        default:
            problems.append("\(name)=\(value): not yes/no")
            return defaultValue
        }
    }

    /// Decimal, or hexadecimal with 0x (asyncmap is often written so).
    mutating func number(_ name: String) -> UInt32? {
        guard let value = text(name) else { return nil }
        let parsed =
            value.lowercased().hasPrefix("0x") ? UInt32(value.dropFirst(2), radix: 16) : UInt32(value, radix: 10)
        if parsed == nil { problems.append("\(name)=\(value): not a number") }
        return parsed
    }

    /// A dotted quad; 0.0.0.0 means unset.
    mutating func address(_ name: String) -> String? {
        guard let value = text(name) else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else {
            problems.append("\(name)=\(value): not an IPv4 address")
            return nil
        }
        return value == "0.0.0.0" ? nil : value
    }

    static func isInterfaceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return (1...15).contains(bytes.count)
            && !bytes.contains { $0 <= 0x20 || $0 == 0x2f || $0 == 0x3a || $0 >= 0x7f }
    }
}

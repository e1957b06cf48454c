import Testing

@testable import ppp_unix

/// pppd's command line for every parameter the plugin reads. Option names
/// checked against pppd 2.4.9's pppd(8) and its plugins' option tables.
@Suite struct PPPDArgumentsTests {
    static let lac = PPPDArguments.Session(tunnelID: 1, sessionID: 2, isLNS: false)

    static func argv(_ parameters: [String: String], session: PPPDArguments.Session = lac) -> [String] {
        PPPDArguments(session: session, parameters: parameters).arguments
    }

    static let baseline = [
        "plugin", "pppol2tp.so", "plugin", "openl2tp.so", "pppol2tp", "3", "pppol2tp_tunnel_id", "1",
        "pppol2tp_session_id", "2", "nodetach", "local", "noccp", "novj", "novjccomp", "sync", "noauth",
    ]

    @Test func withoutConfigurationOnlyTheFixedOptions() {
        #expect(Self.argv([:]) == Self.baseline)
        #expect(PPPDArguments(session: Self.lac, parameters: [:]).problems.isEmpty)
    }

    @Test func lnsModeAndIDs() {
        let argv = Self.argv([:], session: .init(tunnelID: 65535, sessionID: 17, isLNS: true))
        #expect(
            argv.contains(sequence: ["pppol2tp_tunnel_id", "65535", "pppol2tp_session_id", "17", "pppol2tp_lns_mode"]))
        #expect(!Self.argv([:]).contains("pppol2tp_lns_mode"))
    }

    /// (parameters, words that must appear together, words that must not appear).
    static let cases: [([String: String], [String], [String])] = [
        (["trace_flags": "1024"], ["debug"], []),
        (["trace_flags": "1"], [], ["debug"]),
        (["asyncmap": "0xa0000"], ["asyncmap", "a0000"], []),
        (["asyncmap": "655360"], ["asyncmap", "a0000"], []),
        (["mtu": "1400"], ["mtu", "1400"], []),
        (["mru": "1300"], ["mru", "1300"], []),
        (["mtu": "1500", "mru": "1500", "tunnel_mtu": "1460"], ["mtu", "1460", "mru", "1460"], []),
        (["mtu": "1400", "tunnel_mtu": "1460"], ["mtu", "1400"], []),
        (["sync_mode": "async"], [], ["sync"]),
        (["sync_mode": "any"], ["sync"], []),
        (["sync_mode": "sync"], ["sync"], []),
        (["auth_pap": "no"], ["refuse-pap"], []),
        (["auth_chap": "no"], ["refuse-chap"], []),
        (["auth_mschapv1": "no"], ["refuse-mschap"], []),
        (["auth_mschapv2": "no"], ["refuse-mschap-v2"], []),
        (["auth_eap": "no"], ["refuse-eap"], []),
        (["auth_peer": "yes"], ["auth"], ["noauth"]),
        (["auth_peer": "yes", "auth_none": "yes"], ["noauth"], ["auth"]),
        (
            ["auth_peer": "yes", "auth_pap": "no", "auth_mschapv1": "no", "auth_mschapv2": "no", "auth_eap": "no"],
            ["refuse-pap", "refuse-mschap", "refuse-mschap-v2", "refuse-eap", "auth", "require-chap"], []
        ),
        (
            ["auth_pap": "no", "auth_mschapv1": "no", "auth_mschapv2": "no", "auth_eap": "no"], ["noauth"],
            ["require-chap"]
        ),
        (["chap_interval": "30"], ["chap-interval", "30"], []),
        (["chap_interval": "0"], [], ["chap-interval"]),
        (["chap_max_challenge": "5"], ["chap-max-challenge", "5"], []),
        (["chap_restart": "4"], ["chap-restart", "4"], []),
        (["pap_max_auth_requests": "6"], ["pap-max-authreq", "6"], []),
        (["pap_restart_interval": "7"], ["pap-restart", "7"], []),
        (["pap_timeout": "8"], ["pap-timeout", "8"], []),
        (["idle_timeout": "600"], ["idle", "600"], []),
        (["idle_timeout": "0"], [], ["idle"]),
        (["ipcp_max_config_requests": "10"], ["ipcp-max-configure", "10"], []),
        (["ipcp_max_config_naks": "11"], ["ipcp-max-failure", "11"], []),
        (["ipcp_max_terminate_requests": "12"], ["ipcp-max-terminate", "12"], []),
        (["ipcp_retransmit_interval": "13"], ["ipcp-restart", "13"], []),
        (["lcp_echo_failure_count": "0"], ["lcp-echo-failure", "0"], []),
        (["lcp_echo_interval": "20"], ["lcp-echo-interval", "20"], []),
        (["lcp_max_config_requests": "14"], ["lcp-max-configure", "14"], []),
        (["lcp_max_config_naks": "15"], ["lcp-max-failure", "15"], []),
        (["lcp_max_terminate_requests": "16"], ["lcp-max-terminate", "16"], []),
        (["lcp_retransmit_interval": "17"], ["lcp-restart", "17"], []),
        (["max_connect_time": "3600"], ["maxconnect", "3600"], []),
        (["max_failure_count": "0"], ["maxfail", "0"], []),
        (["local_ipaddr": "10.0.0.1", "remote_ipaddr": "10.0.0.2"], ["10.0.0.1:10.0.0.2"], []),
        (["local_ipaddr": "10.0.0.1"], ["10.0.0.1:"], []),
        (["remote_ipaddr": "10.0.0.2"], [":10.0.0.2"], []),
        (["local_ipaddr": "0.0.0.0", "remote_ipaddr": "0.0.0.0"], [], [":"]),
        (["dns_ipaddr_pri": "192.0.2.53"], ["ms-dns", "192.0.2.53"], []),
        (["dns_ipaddr_sec": "192.0.2.54"], ["ms-dns", "192.0.2.54"], []),
        (["wins_ipaddr_pri": "192.0.2.137"], ["ms-wins", "192.0.2.137"], []),
        (["wins_ipaddr_sec": "192.0.2.138"], ["ms-wins", "192.0.2.138"], []),
        (["use_radius": "yes"], ["plugin", "radius.so", "plugin", "radattr.so"], ["radius-config-file"]),
        (
            ["use_radius": "yes", "radius_hint": "/etc/radiusclient/lns.conf"],
            ["plugin", "radius.so", "plugin", "radattr.so", "radius-config-file", "/etc/radiusclient/lns.conf"], []
        ),
        (["radius_hint": "/etc/x.conf"], [], ["radius.so", "radius-config-file"]),
        (["local_name": "lns.example"], ["name", "lns.example"], []),
        (["remote_name": "lac.example"], ["remotename", "lac.example"], []),
        (["default_route": "yes"], ["defaultroute"], []),
        (["default_route": "no"], [], ["defaultroute"]),
        (["multilink": "yes"], ["multilink"], []),
        (["proxy_arp": "on"], ["proxyarp"], []),
        (["session_trace_flags": "256"], ["pppol2tp_debug_mask", "15"], []),
        (["session_trace_flags": "1024"], [], ["pppol2tp_debug_mask"]),
        (["sequencing_required": "yes"], ["pppol2tp_recv_seq"], []),
        (["use_sequence_numbers": "yes"], ["pppol2tp_send_seq"], []),
        (["reorder_timeout": "250"], ["pppol2tp_reorderto", "250"], []),
        (["reorder_timeout": "0"], [], ["pppol2tp_reorderto"]),
        (["interface_name": "l2tp42"], ["pppol2tp_ifname", "l2tp42"], []),
        (["user_name": "alice"], ["user", "alice"], []),
        (["user_password": "s3cret"], ["password", "s3cret"], []),
        (["tunnel_mtu": "1460"], [], ["mtu"]),
    ]

    @Test(arguments: 0..<cases.count)
    func eachParameterMapsToItsPPPDOption(index: Int) {
        let (parameters, present, absent) = Self.cases[index]
        let argv = Self.argv(parameters)
        #expect(argv.contains(sequence: present), "\(parameters) -> \(argv)")
        for word in absent { #expect(!argv.contains(word), "\(parameters) must not give \(word): \(argv)") }
        #expect(PPPDArguments(session: Self.lac, parameters: parameters).problems.isEmpty)
    }

    @Test func everyParameterTheBuilderReadsIsCovered() {
        let covered = Set(Self.cases.flatMap { $0.0.keys })
        #expect(Set(PPPDArguments.parameterNames).subtracting(covered).isEmpty)
        // And none of them is read without being in the list the plugin asks for.
        #expect(covered.isSubset(of: Set(PPPDArguments.parameterNames)))
    }

    @Test func badValuesAreLeftOutAndReported() {
        let built = PPPDArguments(
            session: Self.lac,
            parameters: [
                "mtu": "big", "local_ipaddr": "10.0.0.300", "default_route": "maybe", "interface_name": "ppp/0",
                "dns_ipaddr_pri": "::1",
            ])
        #expect(built.arguments == Self.baseline)
        #expect(built.problems.count == 5)
        #expect(built.problems.contains { $0.hasPrefix("mtu=big") })
        #expect(built.problems.contains { $0.hasPrefix("interface_name=ppp/0") })
    }

    @Test func valuesStaySingleArgumentsWhateverTheyContain() {
        let argv = Self.argv(["local_name": "name with spaces", "user_password": "p;w $(x)"])
        #expect(argv.contains(sequence: ["name", "name with spaces"]))
        #expect(argv.contains(sequence: ["password", "p;w $(x)"]))
    }
}

extension Array where Element == String {
    /// True when `sequence` appears contiguously (empty: always).
    func contains(sequence: [String]) -> Bool {
        guard !sequence.isEmpty else { return true }
        guard sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { Array(self[$0..<$0 + sequence.count]) == sequence }
    }
}

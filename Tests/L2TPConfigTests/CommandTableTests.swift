import Testing

@testable import L2TPConfig

/// The tables carry every command, parameter and default of the OpenL2TP
/// interface (docs/configuration.md lists them).
@Suite struct CommandTableTests {
    let table = CommandTable.standard

    func spec(_ path: CommandPath) -> CommandSpec { table.spec(for: path)! }

    func names(_ path: CommandPath) -> Set<String> { Set(spec(path).parameters.map(\.name.rawValue)) }

    func defaultOf(_ path: CommandPath, _ name: ParameterName) -> ConfigValue? {
        spec(path).parameter(name)?.defaultValue
    }

    @Test func everyPathHasASpecAndHelp() {
        for path in CommandPath.allCases {
            let s = table.spec(for: path)
            #expect(s != nil, "\(path)")
            #expect(s?.help.isEmpty == false)
        }
        #expect(table.commands.count == CommandPath.allCases.count)
    }

    @Test func noCommandListsAParameterTwiceAndAllHaveHelp() {
        for command in table.commands {
            let list = command.parameters.map(\.name)
            #expect(Set(list).count == list.count, "\(command.path)")
            for p in command.parameters {
                #expect(!p.help.isEmpty)
                #expect(p.type.accepts(p.defaultValue), "\(command.path) \(p.name)")
            }
        }
    }

    @Test func systemModify() {
        #expect(
            names(.systemModify) == [
                "trace_flags", "max_tunnels", "max_sessions", "max_half_open_tunnels", "drain_tunnels",
                "tunnel_establish_timeout",
                "session_establish_timeout", "tunnel_persist_pend_timeout", "session_persist_pend_timeout",
                "deny_local_tunnel_creates", "deny_remote_tunnel_creates", "reset_statistics",
            ])
        #expect(defaultOf(.systemModify, .maxTunnels) == .integer(0))
        #expect(defaultOf(.systemModify, .maxSessions) == .integer(0))
        #expect(defaultOf(.systemModify, .maxHalfOpenTunnels) == .integer(4096))
        #expect(defaultOf(.systemModify, .tunnelEstablishTimeout) == .seconds(120))
        #expect(defaultOf(.systemModify, .sessionEstablishTimeout) == .seconds(120))
        #expect(defaultOf(.systemModify, .tunnelPersistPendTimeout) == .seconds(300))
        #expect(defaultOf(.systemModify, .sessionPersistPendTimeout) == .seconds(60))
    }

    @Test func tunnelCreate() {
        let expected: Set<String> = [
            "dest_ipaddr", "tunnel_name", "config_id", "profile_name", "src_ipaddr", "peer_udp_port", "our_udp_port",
            "use_tiebreaker", "allow_ppp_proxy", "framing_caps", "bearer_caps", "host_name", "secret", "auth_mode",
            "hide_avps", "rx_window_size", "tx_window_size", "do_pmtu_discovery", "trace_flags", "use_udp_checksums",
            "persist", "hello_timeout", "max_retries", "retry_timeout", "idle_timeout", "max_sessions", "mtu",
            "peer_profile_name", "session_profile_name", "ppp_profile_name",
        ]
        #expect(names(.tunnelCreate) == expected)
        #expect(spec(.tunnelCreate).parameter(.destIPAddress)?.isRequired == true)
        #expect(defaultOf(.tunnelCreate, .peerUDPPort) == .integer(1701))
        #expect(defaultOf(.tunnelCreate, .ourUDPPort) == .notSet)
        #expect(spec(.tunnelCreate).parameter(.ourUDPPort)?.defaultDescription == "ephemeral")
        #expect(defaultOf(.tunnelCreate, .framingCaps) == .choice("any"))
        #expect(defaultOf(.tunnelCreate, .bearerCaps) == .choice("any"))
        #expect(defaultOf(.tunnelCreate, .authMode) == .choice("none"))
        #expect(defaultOf(.tunnelCreate, .rxWindowSize) == .integer(10))
        #expect(defaultOf(.tunnelCreate, .txWindowSize) == .integer(10))
        #expect(defaultOf(.tunnelCreate, .useUDPChecksums) == .bool(true))
        #expect(defaultOf(.tunnelCreate, .persist) == .bool(false))
        #expect(defaultOf(.tunnelCreate, .helloTimeout) == .seconds(60))
        #expect(defaultOf(.tunnelCreate, .maxRetries) == .integer(5))
        #expect(defaultOf(.tunnelCreate, .retryTimeout) == .seconds(1))
        #expect(defaultOf(.tunnelCreate, .idleTimeout) == .seconds(0))
        #expect(defaultOf(.tunnelCreate, .maxSessions) == .integer(0))
        #expect(defaultOf(.tunnelCreate, .mtu) == .integer(1460))
    }

    @Test func tunnelModifyDeleteShowList() {
        #expect(
            names(.tunnelModify) == [
                "tunnel_id", "tunnel_name", "trace_flags", "use_udp_checksums", "persist", "hello_timeout",
                "max_retries", "retry_timeout", "idle_timeout", "max_sessions", "mtu", "peer_profile_name",
                "session_profile_name", "ppp_profile_name",
            ])
        #expect(spec(.tunnelModify).requiredOneOf == [[.tunnelID, .tunnelName]])
        #expect(names(.tunnelDelete) == ["tunnel_id", "tunnel_name"])
        #expect(Set(spec(.tunnelShow).bareKeywords) == [.config, .transport])
        #expect(Set(spec(.tunnelList).bareKeywords) == [.localOnly, .remoteOnly, .names])
        #expect(Set(spec(.systemShow).bareKeywords) == [.configuration, .status, .statistics, .version])
    }

    @Test func sessionCommands() {
        #expect(
            names(.sessionCreate) == [
                "tunnel_id", "tunnel_name", "session_name", "profile_name", "ppp_profile_name", "trace_flags",
                "sequencing_required", "use_sequence_numbers", "reorder_timeout", "session_type", "priv_group_id",
                "interface_name", "user_name", "user_password", "framing_type", "bearer_type", "minimum_bps",
                "maximum_bps", "connect_speed", "no_ppp", "use_ppp_proxy",
            ])
        #expect(spec(.sessionCreate).parameter(.sessionType)?.type == .choice(["laic", "laoc", "lnic", "lnoc"]))
        #expect(spec(.sessionCreate).parameter(.sessionType)?.defaultValue == .notSet)
        #expect(names(.sessionDelete) == ["tunnel_id", "tunnel_name", "session_id", "session_name"])
        #expect(names(.sessionShow) == names(.sessionDelete))
        #expect(names(.sessionList) == ["tunnel_id", "tunnel_name"])
        #expect(Set(spec(.sessionList).bareKeywords) == [.localOnly, .remoteOnly, .names])
        #expect(names(.sessionModify).isSuperset(of: ["tunnel_id", "session_id", "trace_flags"]))
    }

    @Test func pppProfile() {
        let expected: Set<String> = [
            "profile_name", "trace_flags", "asyncmap", "mtu", "mru", "sync_mode", "auth_pap", "auth_chap",
            "auth_mschapv1", "auth_mschapv2", "auth_eap", "auth_none", "auth_peer", "chap_interval",
            "chap_max_challenge", "chap_restart", "pap_max_auth_requests", "pap_restart_interval", "pap_timeout",
            "idle_timeout", "ipcp_max_config_requests", "ipcp_max_config_naks", "ipcp_max_terminate_requests",
            "ipcp_retransmit_interval", "lcp_echo_failure_count", "lcp_echo_interval", "lcp_max_config_requests",
            "lcp_max_config_naks", "lcp_max_terminate_requests", "lcp_retransmit_interval", "max_connect_time",
            "max_failure_count", "ip_pool_name", "local_ipaddr", "remote_ipaddr", "dns_ipaddr_pri",
            "dns_ipaddr_sec", "wins_ipaddr_pri", "wins_ipaddr_sec", "use_radius", "radius_hint", "local_name",
            "remote_name", "default_route", "multilink", "proxy_arp",
        ]
        for action in [ProfileAction.create, .modify, .unset] {
            #expect(names(.profile(.ppp, action)) == expected)
        }
        #expect(defaultOf(.profile(.ppp, .create), .mtu) == .integer(1500))
        #expect(defaultOf(.profile(.ppp, .create), .mru) == .integer(1500))
        #expect(spec(.profile(.ppp, .create)).parameter(.syncMode)?.type == .choice(["sync", "async", "any"]))
    }

    @Test func peerProfile() {
        #expect(
            names(.profile(.peer, .create)) == [
                "profile_name", "peer_ipaddr", "peer_port", "netmask", "lac_lns", "tunnel_profile_name",
                "session_profile_name", "ppp_profile_name",
            ])
        #expect(defaultOf(.profile(.peer, .create), .peerPort) == .integer(1701))
        #expect(defaultOf(.profile(.peer, .create), .netmask) == .netmask(.host))
        #expect(spec(.profile(.peer, .create)).parameter(.lacLNS)?.type == .choice(["lac", "lns", "laclns"]))
        for name in [ParameterName.tunnelProfileName, .sessionProfileName, .pppProfileName] {
            #expect(defaultOf(.profile(.peer, .create), name) == .string("default"))
        }
        #expect(names(.peerShow) == ["peer_ipaddr", "local_ipaddr"])
    }

    @Test func tunnelAndSessionProfilesTakeTheTunnelAndSessionArguments() {
        let tunnelProfile = names(.profile(.tunnel, .create))
        #expect(tunnelProfile.isSuperset(of: names(.tunnelModify).subtracting(["tunnel_id", "tunnel_name"])))
        #expect(tunnelProfile.isSuperset(of: ["our_udp_port", "auth_mode", "secret", "hide_avps", "host_name"]))
        let sessionProfile = names(.profile(.session, .create))
        #expect(
            sessionProfile.isSuperset(of: [
                "sequencing_required", "use_sequence_numbers", "reorder_timeout", "session_type", "connect_speed",
            ]))
    }

    @Test func profileCommandsRequireProfileName() {
        for kind in ProfileKind.allCases {
            for action in [ProfileAction.create, .modify, .delete, .show, .unset] {
                #expect(spec(.profile(kind, action)).parameter(.profileName)?.isRequired == true)
            }
            #expect(spec(.profile(kind, .list)).parameters.isEmpty)
        }
    }

    @Test func debugConfigUserPeer() {
        #expect(spec(.debugModify).parameter(.traceFlags)?.isRequired == true)
        #expect(spec(.configRestore).parameter(.file)?.isRequired == true)
        #expect(spec(.configSave).parameter(.file)?.isRequired == false)
        #expect(spec(.userList).parameters.isEmpty)
        #expect(spec(.peerList).parameters.isEmpty)
    }

    @Test func recordsExposeEveryParameterWithItsDefault() {
        let tunnel = TunnelProfile(name: "t")
        #expect(tunnel.helloTimeout == 60 && tunnel.maxRetries == 5 && tunnel.mtu == 1460 && tunnel.peerUDPPort == 1701)
        #expect(
            tunnel.ourUDPPort == nil && tunnel.secret == nil && tunnel.authMode == .none && tunnel.framingCaps == .any)
        #expect(tunnel.useUDPChecksums && !tunnel.persist && tunnel.rxWindowSize == 10)
        let session = SessionProfile(name: "s")
        #expect(
            session.sessionType == nil && session.framingType == .sync
                && session.connectSpeed == ConnectSpeed(speed: 1_000_000))
        let ppp = PPPProfile(name: "p")
        #expect(
            ppp.mtu == 1500 && ppp.mru == 1500 && ppp.authPAP && !ppp.authNone && ppp.localIPAddress == nil
                && ppp.syncMode == .any)
        let peer = PeerProfile(name: "x")
        #expect(
            peer.peerPort == 1701 && peer.netmask == .host && peer.lacLNS == .laclns
                && peer.tunnelProfileName == "default")
        let system = SystemSettings()
        #expect(system.tunnelPersistPendTimeout == 300 && system.maxTunnels == 0 && !system.denyRemoteTunnelCreates)
        #expect(!SystemSettings.parameterSpecs.contains { $0.name == .resetStatistics })
    }
}

import Testing

@testable import L2TPConfig

@Suite struct ConfigSerializerTests {
    func roundTrip(_ model: ConfigModel) throws -> ConfigModel {
        let text = ConfigSerializer.text(for: model)
        let result = ConfigLoader.load(text: text, file: "saved.conf")
        #expect(result.errors.isEmpty, "\(result.errors)\n\(text)")
        #expect(result.warnings.isEmpty)
        return result.model
    }

    @Test func defaultModelSavesNothingButTheHeader() {
        #expect(ConfigSerializer.commands(for: ConfigModel()).isEmpty)
        #expect(ConfigSerializer.text(for: ConfigModel()) == "# openl2tpd configuration written by 'config save'\n")
    }

    @Test func richModelRoundTrips() throws {
        let source = """
            system modify max_tunnels=50 trace_flags=PROTOCOL,AVP_HIDE deny_remote_tunnel_creates=yes session_establish_timeout=5m
            ppp profile modify profile_name=default auth_eap=no ip_pool_name=default dns_ipaddr_pri=198.51.100.53 asyncmap=0xa0000
            ppp profile create profile_name="branch office" local_ipaddr=198.51.100.1 remote_name='it''s "quoted"' radius_hint="C:\\\\radius;#x"
            session profile create profile_name=seq use_sequence_numbers=yes reorder_timeout=200 connect_speed=2048000:512000 session_type=lnic
            tunnel profile create profile_name=t1 secret="a secret with spaces" auth_mode=challenge hide_avps=yes our_udp_port=1701 \\
                session_profile_name=seq ppp_profile_name="branch office" peer_profile_name=branch
            tunnel profile modify profile_name=default hello_timeout=30 framing_caps=sync
            peer profile create profile_name=branch peer_ipaddr=203.0.113.0 netmask=/24 tunnel_profile_name=t1 lac_lns=lns
            peer profile create profile_name=lns.example.net session_profile_name=seq
            """
        let original = try load(source).get().model
        #expect(original.profiles.pppProfile("branch office")?.remoteName == "its \"quoted\"")
        #expect(original.profiles.pppProfile("branch office")?.radiusHint == "C:\\radius;#x")
        let restored = try roundTrip(original)
        #expect(restored == original)
        #expect(restored.system.sessionEstablishTimeout == 300)
    }

    @Test func stringsThatNeedQuotingRoundTrip() throws {
        var model = ConfigModel()
        let awkward = [
            "with space", "quote\"d", "single'q", "back\\slash", "semi;colon", "#hash", "a=b", "trailing\\", "ünïcödé",
        ]
        for (index, text) in awkward.enumerated() {
            try model.profiles.create(.ppp, name: "p\(index)", values: [.localName: .string(text)])
        }
        try model.profiles.create(.ppp, name: "name with space")
        // Control characters are refused (they would reach pppd's command line).
        #expect(throws: ConfigError.self) {
            try model.profiles.create(.ppp, name: "t", values: [.localName: .string("tab\there")])
        }
        let restored = try roundTrip(model)
        #expect(restored == model)
        for (index, text) in awkward.enumerated() {
            #expect(restored.profiles.pppProfile("p\(index)")?.localName == text)
        }
    }

    @Test func tunnelProfilesNamingPeerProfilesAlsoRestoreCommandByCommand() throws {
        var model = ConfigModel()
        try model.profiles.create(.peer, name: "p")
        try model.profiles.create(.tunnel, name: "t", values: [.peerProfileName: .string("p"), .mtu: .integer(1400)])
        try model.profiles.modify(.peer, name: "p", values: [.tunnelProfileName: .string("t")])
        // Replay with immediate reference checks, as l2tpconfig's `config restore` would.
        var replayed = ConfigModel()
        for command in CommandParser().parse(ConfigSerializer.text(for: model)).commands {
            try replayed.apply(command, references: .immediate)
        }
        #expect(replayed == model)
    }

    @Test func defaultTunnelProfileNamingAPeerProfile() throws {
        var model = ConfigModel()
        try model.profiles.create(.peer, name: "p")
        try model.profiles.modify(.tunnel, name: "default", values: [.peerProfileName: .string("p")])
        #expect(
            ConfigSerializer.commands(for: model).map { CommandRenderer.render($0) } == [
                "peer profile create profile_name=p",
                "tunnel profile modify profile_name=default peer_profile_name=p",
            ])
        #expect(try roundTrip(model) == model)
    }

    @Test func daemonAppendsItsTunnelsAndSessions() throws {
        var model = ConfigModel()
        try model.profiles.modify(.tunnel, name: "default", values: [.persist: .bool(true)])
        let tunnel = ParsedCommand(
            path: .tunnelCreate,
            arguments: [
                .tunnelName: .string("to lns"), .destIPAddress: .ipv4(IPv4Address(192, 0, 2, 10)),
                .persist: .bool(true),
            ])
        let session = ParsedCommand(
            path: .sessionCreate, arguments: [.tunnelName: .string("to lns"), .userName: .string("bert")])
        let text = ConfigSerializer.text(for: model, appending: [tunnel, session])
        let result = ConfigLoader.load(text: text, file: "saved")
        #expect(result.errors.isEmpty)
        #expect(result.model == model)
        #expect(result.actions.map(\.path) == [.tunnelCreate, .sessionCreate])
        #expect(result.actions[0].arguments == tunnel.arguments)
        #expect(result.actions[1].arguments == session.arguments)
    }

    @Test func rendererWritesCanonicalText() {
        let command = ParsedCommand(path: .tunnelList, keywords: [.names, .localOnly])
        #expect(CommandRenderer.render(command) == "tunnel list local_only names")
        let long = ParsedCommand(
            path: .profile(.ppp, .create),
            arguments: [
                .profileName: .string("x"), .mtu: .integer(1400), .mru: .integer(1400), .authPAP: .bool(false),
                .localIPAddress: .notSet,
            ])
        #expect(
            CommandRenderer.render(long)
                == "ppp profile create profile_name=x \\\n\tmtu=1400 \\\n\tmru=1400 \\\n\tauth_pap=no \\\n\tlocal_ipaddr="
        )
        let unset = ParsedCommand(
            path: .profile(.tunnel, .unset), arguments: [.profileName: .string("default")], unsetParameters: [.mtu])
        #expect(CommandRenderer.render(unset) == "tunnel profile unset profile_name=default mtu")
        #expect(CommandRenderer.quotedIfNeeded("plain") == "plain")
        #expect(CommandRenderer.quotedIfNeeded("a b") == "\"a b\"")
    }

    @Test func everyRenderedValueTypeParsesBack() throws {
        let command = ParsedCommand(
            path: .tunnelCreate,
            arguments: [
                .destIPAddress: .ipv4(IPv4Address(192, 0, 2, 1)), .traceFlags: .traceFlags([.api, .ppp]),
                .helloTimeout: .seconds(90),
                .authMode: .choice("simple"), .hostName: .string("lac one"), .useTiebreaker: .bool(true),
                .ourUDPPort: .integer(1701),
            ])
        let reparsed = try parse(CommandRenderer.render(command).replacingOccurrences(of: "\\\n", with: " "))
        #expect(reparsed.arguments == command.arguments)
        let peer = ParsedCommand(
            path: .profile(.peer, .create),
            arguments: [.profileName: .string("n"), .netmask: .netmask(Netmask(prefixLength: 20)!)])
        #expect(try parse(CommandRenderer.render(peer)).arguments == peer.arguments)
        let session = ParsedCommand(
            path: .sessionCreate,
            arguments: [.tunnelID: .integer(3), .connectSpeed: .connectSpeed(ConnectSpeed(speed: 9600, txSpeed: 1200))])
        #expect(try parse(CommandRenderer.render(session)).arguments == session.arguments)
    }
}

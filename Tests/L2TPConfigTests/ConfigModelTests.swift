import Testing

@testable import L2TPConfig

@Suite struct ConfigModelTests {
    @Test func systemModifyIgnoresResetStatistics() throws {
        var model = ConfigModel()
        #expect(try model.apply(parse("system modify reset_statistics=yes max_tunnels=3")) == .applied)
        #expect(model.system.maxTunnels == 3)
        #expect(model.system.explicitValues.keys.sorted() == [.maxTunnels])
    }

    @Test func nonModelCommandsAreLeftToTheCaller() throws {
        var model = ConfigModel()
        for line in [
            "tunnel list", "tunnel create dest_ipaddr=192.0.2.1", "ppp profile show profile_name=default",
            "ppp profile list", "user list",
        ] {
            #expect(try model.apply(parse(line)) == .notAModelCommand)
        }
        #expect(model == ConfigModel())
    }

    @Test func errorsCarryTheCommandLocation() throws {
        var model = ConfigModel()
        let command = try CommandParser().parseCommand("ppp profile delete profile_name=default", file: "cli")
        do {
            try model.apply(command)
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "cli:1:1: the built-in ppp profile 'default' cannot be deleted (it can be modified or unset)")
        }
    }

    @Test func traceAllOnDefaultProfiles() {
        var model = ConfigModel()
        model.traceAllOnDefaultProfiles()
        #expect(model.profiles.tunnelProfile("default")?.traceFlags == .all)
        #expect(model.profiles.sessionProfile("default")?.traceFlags == .all)
        #expect(model.profiles.pppProfile("default")?.traceFlags == .all)
    }
}

@Suite struct ParameterListingTests {
    @Test func listingShowsEffectiveValuesInTableOrder() throws {
        var store = ProfileStore()
        try store.modify(.tunnel, name: "default", values: [.helloTimeout: .seconds(30)])
        let listing = try #require(store.tunnelProfile("default")).listing()
        #expect(listing.map(\.name) == TunnelProfile.parameterSpecs.map(\.name))
        let hello = try #require(listing.first { $0.name == .helloTimeout })
        #expect(hello.value == "30" && !hello.isDefault)
        let port = try #require(listing.first { $0.name == .ourUDPPort })
        #expect(port.value == "" && port.notSetMeaning == "ephemeral" && port.isDefault)
        #expect(SystemSettings().listing().first { $0.name == .tunnelPersistPendTimeout }?.value == "300")
    }

    @Test func typedArgumentAccessors() throws {
        let c = try parse(
            "tunnel create dest_ipaddr=192.0.2.1 persist=on auth_mode=simple trace_flags=FSM hello_timeout=1m")
        #expect(c.ipv4(.destIPAddress) == IPv4Address(192, 0, 2, 1))
        #expect(c.bool(.persist) == true)
        #expect(c.choice(.authMode, as: TunnelAuthMode.self) == .simple)
        #expect(c.traceFlags(.traceFlags) == .fsm)
        #expect(c.integer(.helloTimeout) == 60)
        #expect(c.bool(.useTiebreaker) == nil)
    }
}

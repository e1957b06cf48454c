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
        for line in ["tunnel list", "tunnel create dest_ipaddr=192.0.2.1", "ppp profile show profile_name=default", "ppp profile list", "user list"] {
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
            #expect(error.description == "cli:1:1: the built-in ppp profile 'default' cannot be deleted (it can be modified or unset)")
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

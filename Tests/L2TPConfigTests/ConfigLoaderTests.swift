import Testing

@testable import L2TPConfig

@Suite struct ConfigLoaderTests {
    @Test func appliesModelCommandsAndReturnsActions() throws {
        let result = load(
            """
            system modify max_tunnels=10 trace_flags=PROTOCOL,FSM
            ppp profile create profile_name=office local_ipaddr=198.51.100.1
            tunnel create tunnel_name=t dest_ipaddr=192.0.2.1
            session create tunnel_name=t ppp_profile_name=office
            debug modify trace_flags=ALL
            """)
        let (model, actions) = try result.get()
        #expect(model.system.maxTunnels == 10)
        #expect(model.system.traceFlags == [.protocolMessages, .fsm])
        #expect(model.profiles.pppProfile("office")?.localIPAddress == IPv4Address(198, 51, 100, 1))
        #expect(actions.map(\.path) == [.tunnelCreate, .sessionCreate, .debugModify])
        #expect(actions[0].location.line == 3)
    }

    @Test func allErrorsAreCollectedWithFileAndLine() {
        let result = ConfigLoader.load(
            text: """
                system modify max_sessions=abc
                tunnel create tunnel_name=x dest_ipaddr=
                ppp profile modify profile_name=nope mtu=1400
                ppp profile delete profile_name=default
                tunnel list
                peer profile create profile_name=p tunnel_profile_name=later
                system modify max_tunnels=5
                """, file: "/etc/openl2tpd.conf")
        #expect(
            result.errors.map(\.description) == [
                "/etc/openl2tpd.conf:1:28: max_sessions: 'abc' is not a number (0..65535)",
                "/etc/openl2tpd.conf:2:41: dest_ipaddr: is required by 'tunnel create' but was given an empty value",
                "/etc/openl2tpd.conf:3:1: ppp profile 'nope' does not exist",
                "/etc/openl2tpd.conf:4:1: the built-in ppp profile 'default' cannot be deleted (it can be modified or unset)",
                "/etc/openl2tpd.conf:5:1: 'tunnel list' is not allowed in a configuration file",
                "/etc/openl2tpd.conf:6:56: tunnel profile 'later' does not exist (named by tunnel_profile_name of peer profile 'p')",
            ])
        #expect(!result.succeeded)
        // Good lines still apply, so a report can show the whole picture.
        #expect(result.model.system.maxTunnels == 5)
    }

    @Test func missingRequiredParameterIsNamed() {
        let result = load("tunnel create tunnel_name=x\nsession create session_name=y\n")
        #expect(
            result.errors.map(\.description) == [
                "test.conf:1:1: dest_ipaddr: is required by 'tunnel create'",
                "test.conf:2:1: 'session create' needs one of: tunnel_id, tunnel_name",
            ])
    }

    @Test func referencesMayPointForward() {
        let result = load(
            """
            peer profile create profile_name=branch tunnel_profile_name=t-branch
            tunnel profile create profile_name=t-branch hello_timeout=10
            """)
        #expect(result.errors.isEmpty)
    }

    @Test func actionsNamingMissingProfilesAreErrors() {
        let result = load(
            "tunnel create dest_ipaddr=192.0.2.1 profile_name=ghost\nsession create tunnel_id=4 profile_name=ghost2\n")
        #expect(
            result.errors.map(\.description) == [
                "test.conf:1:50: tunnel profile 'ghost' does not exist (named by profile_name of 'tunnel create')",
                "test.conf:2:41: session profile 'ghost2' does not exist (named by profile_name of 'session create')",
            ])
    }

    @Test func reloadStartsFromDefaultsAndFailureKeepsRunningModel() throws {
        let running = try load("system modify max_tunnels=7\nppp profile create profile_name=old\n").get().model
        // SIGHUP with a broken file: the daemon keeps `running`.
        let broken = load("system modify max_tunnels=8\nsystem modify bogus=1\n")
        #expect(!broken.succeeded)
        #expect(running.system.maxTunnels == 7)
        // SIGHUP with a good file: profiles and settings not in the file are back to defaults.
        let fresh = try load("system modify max_sessions=3\n").get().model
        #expect(fresh.system.maxTunnels == 0)
        #expect(fresh.profiles.pppProfile("old") == nil)
    }

    @Test func restoreOnTopOfRunningModel() throws {
        let running = try load("ppp profile create profile_name=old\n").get().model
        let restored = ConfigLoader.load(
            text: "ppp profile modify profile_name=old mtu=1400\n", file: "saved.conf", base: running)
        #expect(restored.errors.isEmpty)
        #expect(restored.model.profiles.pppProfile("old")?.mtu == 1400)
    }

    @Test func emptyFileIsDefaults() throws {
        let (model, actions) = try load("# nothing here\n\n").get()
        #expect(model == ConfigModel())
        #expect(actions.isEmpty)
    }

    @Test func failureDescriptionListsEveryError() {
        let result = load("system modify max_tunnels=x\nsystem modify max_sessions=y\n")
        do {
            _ = try result.get()
            Issue.record("expected failure")
        } catch {
            #expect(
                error.description == """
                    test.conf:1:27: max_tunnels: 'x' is not a number (0..65535)
                    test.conf:2:28: max_sessions: 'y' is not a number (0..65535)
                    """)
        }
    }

    @Test func unsetAndDeleteInFiles() throws {
        let (model, _) = try load(
            """
            tunnel profile modify profile_name=default hello_timeout=10 mtu=1400
            tunnel profile unset profile_name=default hello_timeout
            ppp profile create profile_name=tmp
            ppp profile delete profile_name=tmp
            """
        ).get()
        #expect(model.profiles.tunnelProfile("default")?.helloTimeout == 60)
        #expect(model.profiles.tunnelProfile("default")?.mtu == 1400)
        #expect(model.profiles.pppProfile("tmp") == nil)
    }
}

@Suite struct ConfigLoaderTunnelNameTests {
    @Test func duplicateTunnelNamesAreErrors() {
        let result = load(
            "tunnel create tunnel_name=a dest_ipaddr=192.0.2.1\ntunnel create tunnel_name=a dest_ipaddr=192.0.2.2\n")
        #expect(
            result.errors.map(\.description) == ["test.conf:2:27: tunnel_name: tunnel 'a' is already created at line 1"]
        )
    }

    @Test func sessionsInUnknownTunnelsAreWarnings() {
        let result = load(
            "session create tunnel_name=b\ntunnel create tunnel_name=b dest_ipaddr=192.0.2.1\nsession create tunnel_name=b\n"
        )
        #expect(result.errors.isEmpty)
        #expect(
            result.warnings.map(\.description) == [
                "test.conf:1:28: warning: tunnel_name: no tunnel 'b' is created earlier in this file"
            ])
    }
}

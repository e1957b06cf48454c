import Testing

@testable import L2TPConfig

@Suite struct InteractiveSupportTests {
    let support = InteractiveSupport()

    func complete(_ line: String) -> [String] { support.completions(forLine: line, cursor: line.count) }

    @Test func topLevelKeywords() {
        #expect(complete("") == ["system", "tunnel", "session", "ppp", "peer", "user", "debug", "config"])
        #expect(complete("p") == ["ppp", "peer"])
        #expect(complete("TU") == ["tunnel"])
    }

    @Test func subKeywordsAfterBlankOrPartialWord() {
        #expect(complete("tunnel ") == ["create", "delete", "modify", "show", "list", "profile"])
        #expect(complete("tunnel pro") == ["profile"])
        #expect(complete("tun pro ") == ["create", "modify", "delete", "show", "list", "unset"])
        #expect(complete("peer ") == ["profile", "show", "list"])
    }

    @Test func parameterNamesInContext() {
        #expect(complete("tunnel create dest") == ["dest_ipaddr="])
        #expect(complete("tunnel create max_") == ["max_retries=", "max_sessions="])
        #expect(complete("system modify deny") == ["deny_local_tunnel_creates=", "deny_remote_tunnel_creates="])
    }

    @Test func givenParametersAreNotOfferedAgain() {
        let all = complete("peer profile create profile_name=x ")
        #expect(!all.contains("profile_name="))
        #expect(all.contains("peer_ipaddr="))
        #expect(!complete("peer profile create profile_name=x peer_ip=1.2.3.4 ").contains("peer_ipaddr="))
    }

    @Test func bareKeywords() {
        #expect(complete("system show ") == ["configuration", "status", "statistics", "version"])
        #expect(complete("system show stat") == ["status", "statistics"])
        #expect(complete("tunnel list local_only ") == ["names"])
        #expect(complete("tunnel show tunnel_id=3 ").contains("transport"))
    }

    @Test func valuesOfBooleansChoicesAndTraceFlags() {
        #expect(complete("tunnel create persist=") == ["persist=yes", "persist=no"])
        #expect(complete("tunnel create auth_mode=c") == ["auth_mode=challenge"])
        #expect(complete("tunnel create auth=") == ["auth_mode=none", "auth_mode=simple", "auth_mode=challenge"])
        #expect(
            complete("system modify trace_flags=AVP").sorted() == [
                "trace_flags=AVP", "trace_flags=AVP_DATA", "trace_flags=AVP_HIDE",
            ])
        #expect(complete("tunnel create dest_ipaddr=1").isEmpty)
    }

    @Test func unsetOffersParameterNames() {
        let names = complete("ppp profile unset profile_name=default auth_")
        #expect(
            names == ["auth_pap", "auth_chap", "auth_mschapv1", "auth_mschapv2", "auth_eap", "auth_none", "auth_peer"])
        #expect(complete("ppp profile unset ").contains("profile_name="))
    }

    @Test func cursorInTheMiddleIgnoresTheRest() {
        #expect(support.completions(forLine: "tunnel cr dest_ipaddr=1.2.3.4", cursor: 9) == ["create"])
    }

    @Test func onlyTheStatementUnderTheCursorCounts() {
        #expect(complete("system show status; tun") == ["tunnel"])
        #expect(
            complete("system show status; ") == [
                "system", "tunnel", "session", "ppp", "peer", "user", "debug", "config",
            ])
    }

    @Test func nothingForUnknownOrQuotedInput() {
        #expect(complete("bogus ").isEmpty)
        #expect(complete("tunnel create host_name=\"abc").isEmpty)
        #expect(complete("p profile ").isEmpty)
    }

    @Test func helpListsCommandsAtTheTop() {
        let help = support.help(forLine: "")
        #expect(help.entries.map(\.name) == ["system", "tunnel", "session", "ppp", "peer", "user", "debug", "config"])
        #expect(help.entries.allSatisfy { !$0.help.isEmpty })
    }

    @Test func helpListsSubcommandsFilteredByPartialWord() {
        #expect(
            support.help(forLine: "tunnel ").entries.map(\.name) == [
                "create", "delete", "modify", "show", "list", "profile",
            ])
        #expect(support.help(forLine: "tunnel c").entries.map(\.name) == ["create"])
    }

    @Test func helpListsParametersWithDefaultsAndRequirement() throws {
        let help = support.help(forLine: "tunnel create ")
        #expect(help.title == "tunnel create: set up a tunnel to a peer")
        let dest = try #require(help.entries.first { $0.name == "dest_ipaddr" })
        #expect(dest.isRequired)
        #expect(dest.expects == "an IPv4 address")
        let hello = try #require(help.entries.first { $0.name == "hello_timeout" })
        #expect(hello.defaultValue == "60")
        #expect(!hello.isRequired)
        #expect(help.entries.first { $0.name == "our_udp_port" }?.defaultValue == "ephemeral")
        let text = help.description
        #expect(text.contains("dest_ipaddr"))
        #expect(text.contains("[an IPv4 address; required]"))
        #expect(text.contains("default 60]"))
    }

    @Test func helpForPartialParameterAndOneOfGroups() {
        let help = support.help(forLine: "session delete tunnel")
        #expect(help.entries.map(\.name) == ["tunnel_id", "tunnel_name"])
        let allRequired = help.entries.allSatisfy { $0.isRequired }
        #expect(allRequired)
        #expect(
            support.help(forLine: "system show ").entries.map(\.name) == [
                "configuration", "status", "statistics", "version",
            ])
    }

    @Test func helpForUnknownLine() {
        #expect(support.help(forLine: "frob ").entries.isEmpty)
    }
}

import Testing

@testable import L2TPConfig

@Suite struct CommandParserTests {
    @Test func parsesTypedArguments() throws {
        let c = try parse(
            "tunnel create tunnel_name=katalix dest_ipaddr=192.0.2.10 persist=yes hello_timeout=30 framing_caps=sync")
        #expect(c.path == .tunnelCreate)
        #expect(
            c.arguments == [
                .tunnelName: .string("katalix"), .destIPAddress: .ipv4(IPv4Address(192, 0, 2, 10)),
                .persist: .bool(true), .helloTimeout: .seconds(30), .framingCaps: .choice("sync"),
            ])
        #expect(c.location == SourceLocation(file: "<command>", line: 1, column: 1))
        #expect(c.argumentLocations[.destIPAddress]?.column == 47)
    }

    @Test func keywordsAndParametersMatchUniqueCaseInsensitivePrefixes() throws {
        let c = try parse("TUN CR dest=192.0.2.1 TUNNEL_N=x per=on")
        #expect(c.path == .tunnelCreate)
        #expect(c.string(.tunnelName) == "x")
        #expect(c[.persist] == .bool(true))
        #expect(try parse("pp pro mod profile_name=default mtu=1400").path == .profile(.ppp, .modify))
        #expect(try parse("sys sh statu").keywords == [.status])
        #expect(parseError("system show stat")?.message == "ambiguous keyword 'stat': could be status, statistics")
    }

    @Test func ambiguousKeywordListsCandidates() {
        let error = parseError("p profile list")
        #expect(error?.kind == .ambiguousKeyword)
        #expect(error?.message == "ambiguous keyword 'p': could be ppp, peer")
    }

    @Test func unknownKeywordListsValidChoices() {
        #expect(
            parseError("tunnel frobnicate")?.message
                == "unknown keyword 'frobnicate' after 'tunnel'; expected one of: create, delete, modify, show, list, profile"
        )
        #expect(
            parseError("bogus")?.message
                == "unknown command 'bogus'; expected one of: system, tunnel, session, ppp, peer, user, debug, config")
    }

    @Test func incompleteCommand() {
        #expect(parseError("tunnel")?.kind == .incompleteCommand)
        #expect(
            parseError("ppp profile")?.message
                == "incomplete command 'ppp profile'; expected one of: create, modify, delete, show, list, unset")
    }

    @Test func ambiguousParameterPrefix() {
        let error = parseError("tunnel create dest_ipaddr=192.0.2.1 max=3")
        #expect(error?.kind == .ambiguousParameter)
        #expect(error?.message == "ambiguous parameter 'max': could be max_retries, max_sessions")
    }

    @Test func unknownParameterListsValidOnes() {
        let error = parseError("peer profile create profile_name=x colour=red")
        #expect(error?.kind == .unknownParameter)
        #expect(
            error?.message.hasPrefix(
                "unknown parameter 'colour' for 'peer profile create'; valid parameters: profile_name, peer_ipaddr, peer_port, netmask"
            ) == true)
    }

    @Test func badValuesNameParameterValueAndExpectation() {
        #expect(
            parseError("system modify max_sessions=abc")?.description
                == "<command>:1:28: max_sessions: 'abc' is not a number (0..65535)")
        #expect(
            parseError("tunnel create dest_ipaddr=999.1.1.1")?.message
                == "dest_ipaddr: '999.1.1.1' is not an IPv4 address (a.b.c.d)")
        #expect(
            parseError("tunnel modify tunnel_id=1 persist=sometimes")?.message.hasPrefix(
                "persist: 'sometimes' is not a boolean") == true)
        #expect(
            parseError("tunnel modify tunnel_id=1 max_sessions=70000")?.message
                == "max_sessions: 70000 is out of range (0..65535)")
    }

    @Test func duplicateParameterIsAnError() {
        #expect(
            parseError("tunnel create dest_ipaddr=192.0.2.1 persist=yes pers=no")?.message
                == "persist: given more than once")
    }

    @Test func emptyValueMeansNotSet() throws {
        let c = try parse("ppp profile modify profile_name=default local_ipaddr=")
        #expect(c.arguments[.localIPAddress] == .notSet)
        #expect(c[.localIPAddress] == nil)
    }

    @Test func bareKeywordArguments() throws {
        #expect(try parse("tunnel list local_only names").keywords == [.localOnly, .names])
        #expect(try parse("tunnel list").keywords.isEmpty)
        #expect(try parse("system show version").keywords == [.version])
        #expect(try parse("tunnel show tunnel_name=a config transport").keywords == [.config, .transport])
        #expect(try parse("session list tunnel_id=5 remote").keywords == [.remoteOnly])
        #expect(
            parseError("tunnel list local_only remote_only")?.message
                == "'remote_only' cannot be combined with 'local_only'")
        #expect(parseError("system show status version")?.kind == .conflictingParameters)
        #expect(
            parseError("tunnel list everything")?.message
                == "unexpected word 'everything' in 'tunnel list'; expected name=value or one of: local_only, remote_only, names"
        )
        #expect(
            parseError("system modify max_tunnels")?.message
                == "unexpected word 'max_tunnels' in 'system modify'; arguments are written name=value")
    }

    @Test func unsetTakesParameterNames() throws {
        let c = try parse("tunnel profile unset profile_name=lns hello_timeout secret mtu=")
        #expect(c.path == .profile(.tunnel, .unset))
        #expect(c.unsetParameters == [.helloTimeout, .secret, .mtu])
        #expect(c.string(.profileName) == "lns")
        #expect(
            parseError("tunnel profile unset profile_name=lns mtu=1400")?.message
                == "mtu: 'unset' takes parameter names without values")
        #expect(parseError("ppp profile unset profile_name=x auth_")?.kind == .ambiguousParameter)
        #expect(parseError("ppp profile unset profile_name=x bogus")?.kind == .unexpectedWord)
    }

    @Test func argumentBeforeCommandCompleteIsAnError() {
        #expect(parseError("tunnel dest_ipaddr=1.2.3.4")?.kind == .incompleteCommand)
        #expect(parseError("x=1")?.kind == .syntax)
    }

    @Test func allErrorsOfATextAreCollectedWithLines() {
        let out = CommandParser().parse(
            "system modify max_tunnels=x\ntunnel create dest_ipaddr=1.2.3\nbogus\nsystem show status\n", file: "a.conf")
        #expect(
            out.errors.map(\.description) == [
                "a.conf:1:27: max_tunnels: 'x' is not a number (0..65535)",
                "a.conf:2:27: dest_ipaddr: '1.2.3' is not an IPv4 address (a.b.c.d)",
                "a.conf:3:1: unknown command 'bogus'; expected one of: system, tunnel, session, ppp, peer, user, debug, config",
            ])
        #expect(out.commands.map(\.path) == [.systemShow])
    }

    @Test func commandGluedByStrayContinuationIsSplitWithWarning() {
        let out = CommandParser().parse(
            "tunnel profile modify profile_name=default \\\nppp profile modify profile_name=default \\\n\n",
            file: "q.conf")
        #expect(out.errors.isEmpty)
        #expect(out.commands.map(\.path) == [.profile(.tunnel, .modify), .profile(.ppp, .modify)])
        #expect(out.warnings.count == 1)
        #expect(out.warnings.first?.location == SourceLocation(file: "q.conf", line: 2, column: 1))
    }

    @Test func unknownWordOnContinuationLineIsStillAnError() {
        let out = CommandParser().parse("tunnel list \\\nnonsense\n", file: "q.conf")
        #expect(out.errors.first?.kind == .unexpectedWord)
    }

    @Test func semicolonSeparatesCommandsOnOneLine() {
        let out = CommandParser().parse("system show status; tunnel list; user list")
        #expect(out.commands.map(\.path) == [.systemShow, .tunnelList, .userList])
    }

    @Test func parseCommandRejectsNoneOrSeveral() {
        #expect(parseError("")?.message == "no command given")
        #expect(parseError("user list; peer list")?.message == "expected one command, found 2")
    }

    @Test func everyCommandPathIsReachable() throws {
        for path in CommandPath.allCases {
            let command = try parse(path.words.joined(separator: " "))
            #expect(command.path == path)
        }
    }
}

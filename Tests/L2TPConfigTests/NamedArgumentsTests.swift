import Testing

@testable import L2TPConfig

/// `CommandParser.validatedCommand(_:arguments:)`: arguments that arrive as
/// names and values (the management RPC) become the command the grammar gives
/// for the same arguments, without any text being lexed.
@Suite struct NamedArgumentsTests {
    func command(_ path: CommandPath, _ arguments: [(name: String, value: String)]) throws(ConfigError)
        -> ParsedCommand
    {
        try CommandParser().validatedCommand(path, arguments: arguments, file: "rpc")
    }

    func refusal(_ path: CommandPath, _ arguments: [(name: String, value: String)]) -> ConfigError? {
        do {
            _ = try command(path, arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test func valuesAreConvertedByTheirTypesAndKeepTheirCharacters() throws {
        let c = try command(
            .tunnelCreate,
            [
                ("dest_ipaddr", "192.0.2.10"), ("hello_timeout", "1m"), ("framing_caps", "SY"),
                ("host_name", "a \"b\" c=d; e # f\\"), ("trace_flags", "FSM|0x1"), ("ppp_profile_name", ""),
            ])
        #expect(c.path == .tunnelCreate)
        #expect(
            c.arguments == [
                .destIPAddress: .ipv4(IPv4Address(192, 0, 2, 10)), .helloTimeout: .seconds(60),
                .framingCaps: .choice("sync"), .hostName: .string("a \"b\" c=d; e # f\\"),
                .traceFlags: .traceFlags([.fsm, .protocolMessages]), .pppProfileName: .notSet,
            ])
        #expect(c == (try CommandParser().parseValidatedCommand(CommandRenderer.render(c)).with(location: c)))
    }

    @Test func locationsArePositionsInTheRequest() throws {
        let c = try command(.systemModify, [("max_tunnels", "3"), ("drain_tunnels", "no")])
        #expect(c.location.description == "rpc:1")
        #expect(c.location(of: .drainTunnels).description == "rpc:1:2")
        #expect(refusal(.systemModify, [("max_tunnels", "3"), ("drain_tunnels", "x")])?.location?.column == 2)
    }

    @Test func aNameIsOneWholeParameterName() {
        for name in ["max_tunnels=5 deny_local_tunnel_creates", "max", "Max_Tunnels", "max_tunnels ", ""] {
            let error = refusal(.systemModify, [(name, "yes")])
            #expect(error?.kind == .unknownParameter, "\(name)")
            #expect(
                error?.message.hasPrefix("unknown parameter '\(name)' for 'system modify'; valid parameters: ") == true)
        }
        // A keyword is a name too, only where the command has it.
        let error = refusal(.tunnelShow, [("tunnel_id", "1"), ("local_only", "yes")])
        #expect(
            error?.message
                == "unknown parameter 'local_only' for 'tunnel show'; valid parameters: tunnel_id, tunnel_name, config, transport"
        )
    }

    @Test func controlCharactersOfANameAreShownEscaped() {
        let error = refusal(.systemModify, [("max_tunnels\n\u{7f}\u{202e}\\", "1")])
        #expect(error?.message.hasPrefix(#"unknown parameter 'max_tunnels\n\u{7F}\u{202E}\\' for"#) == true)
    }

    @Test func valuesAreRefusedAsTheGrammarRefusesThem() {
        #expect(
            refusal(.systemModify, [("max_tunnels", "5 x")])?.message == "max_tunnels: '5 x' is not a number (0..65535)"
        )
        #expect(
            refusal(.systemModify, [("max_tunnels", "5\r\n")])?.message
                == #"max_tunnels: '5\r\n' is not a number (0..65535)"#)
        #expect(
            refusal(.tunnelCreate, [("dest_ipaddr", "192.0.2.1"), ("host_name", "a\u{1b}b")])?.kind == .invalidValue)
        #expect(
            refusal(.tunnelCreate, [("tunnel_name", "t")])?.message == "dest_ipaddr: is required by 'tunnel create'")
        #expect(
            refusal(.tunnelDelete, [("tunnel_id", "1"), ("tunnel_name", "t")])?.message
                == "give only one of tunnel_id, tunnel_name")
        #expect(
            refusal(.systemModify, [("max_tunnels", "1"), ("max_tunnels", "2")])?.message
                == "max_tunnels: given more than once")
    }

    @Test func keywordsTakeBooleans() throws {
        #expect(try command(.tunnelList, [("local_only", "yes"), ("names", "")]).keywords == [.localOnly, .names])
        #expect(try command(.tunnelList, [("local_only", "off")]).keywords == [])
        #expect(
            refusal(.tunnelList, [("local_only", "yes please")])?.message
                == "local_only: 'yes please' is not a boolean (yes/no, on/off, true/false, 1/0)")
        #expect(
            refusal(.tunnelList, [("remote_only", "1"), ("local_only", "1")])?.message
                == "'local_only' cannot be combined with 'remote_only'")
        #expect(
            refusal(.systemShow, [("status", "yes"), ("status", "yes")])?.message == "status: given more than once")
    }

    @Test func unsetTakesNamesWithEmptyValues() throws {
        let c = try command(.profile(.ppp, .unset), [("profile_name", "p"), ("mtu", ""), ("auth_pap", "")])
        #expect(c.string(.profileName) == "p")
        #expect(c.unsetParameters == [.mtu, .authPAP])
        #expect(
            refusal(.profile(.ppp, .unset), [("profile_name", "p"), ("mtu", "1400")])?.message
                == "mtu: 'unset' takes parameter names without values")
        #expect(
            refusal(.profile(.ppp, .unset), [("profile_name", "p")])?.message
                == "'ppp profile unset' needs the names of the parameters to reset")
    }

    @Test func aPathOutsideTheTableIsRefused() {
        let table = CommandTable(root: CommandNode("", "", []))
        #expect(throws: ConfigError.self) {
            try CommandParser(table: table).validatedCommand(.systemShow, arguments: [])
        }
    }
}

extension ParsedCommand {
    /// The same command with `other`'s locations, to compare what two ways of
    /// building it gave.
    fileprivate func with(location other: ParsedCommand) -> ParsedCommand {
        var copy = self
        copy.location = other.location
        copy.argumentLocations = other.argumentLocations
        return copy
    }
}

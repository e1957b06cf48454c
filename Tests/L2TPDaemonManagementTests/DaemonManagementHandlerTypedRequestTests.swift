import L2TPConfig
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import L2TPDaemon
@testable import L2TPManagement

/// A request's parameters are typed values: each name is one exact parameter
/// (or flag) of the procedure's command, each value is converted by that
/// parameter's type. Nothing in a name or a value is ever read as grammar, so
/// neither can add a parameter, a flag or a command.
@Suite struct DaemonManagementHandlerTypedRequestTests {
    static let caller = DaemonManagementHandlerStatusTests.caller

    /// The system settings a hostile request tries to change, as they must stay.
    static func expectSystemUnchanged(_ handler: DaemonManagementHandler, _ context: String) async {
        let system = await handler.handle(.systemGet, ManagementRequest(), caller: caller)
        #expect(system.records.first?["max_tunnels"] == .uint(0), "\(context) changed max_tunnels")
        #expect(system.records.first?["max_sessions"] == .uint(0), "\(context) changed max_sessions")
        #expect(system.records.first?["drain_tunnels"] == .bool(false), "\(context) changed drain_tunnels")
        #expect(
            system.records.first?["deny_local_tunnel_creates"] == .bool(false),
            "\(context) changed deny_local_tunnel_creates")
    }

    /// No raw control character reaches a message: they are shown escaped.
    static func isVisible(_ message: String) -> Bool {
        !message.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }
    }

    static let hostileNames = [
        "max_tunnels=5 deny_local_tunnel_creates", "max_tunnels=5", "max_tunnels 5", "max_tunnels\n",
        "drain_tunnels=no\nsystem modify max_tunnels", "max_tunnels\tmax_sessions", " max_tunnels",
        "max_tunnels\u{0}", "max_tunnels;deny_local_tunnel_creates", "max", "MAX_TUNNELS", "",
    ]

    @Test(arguments: hostileNames)
    func nameIsLookedUpWholeAndRefusedWhenItIsNoParameter(_ name: String) async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let reply = await handler.handle(
            .systemModify, ManagementRequest(parameters: [ManagementParameter(name: name, value: "yes")]),
            caller: Self.caller)
        #expect(reply.status == .unknownParameter, "\(name.debugDescription): \(reply.status) \(reply.message)")
        #expect(reply.message.hasPrefix("unknown parameter '"), "\(reply.message)")
        #expect(reply.message.contains("for 'system modify'; valid parameters: trace_flags, max_tunnels"))
        #expect(Self.isVisible(reply.message), "\(reply.message.debugDescription)")
        await Self.expectSystemUnchanged(handler, name.debugDescription)
        await runtime.close()
    }

    @Test func spacedNameNamesTheWholeNameAndAppliesNothing() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let reply = await handler.handle(
            .systemModify,
            ManagementRequest(parameters: [
                ManagementParameter(name: "drain_tunnels", value: "no"),
                ManagementParameter(name: "max_tunnels=5 deny_local_tunnel_creates", value: "yes"),
            ]), caller: Self.caller)
        #expect(reply.status == .unknownParameter)
        #expect(
            reply.message.contains("unknown parameter 'max_tunnels=5 deny_local_tunnel_creates' for 'system modify'"))
        await Self.expectSystemUnchanged(handler, "a spaced name")
        // The refused request did not create a tunnel either (deny stays off).
        let created = await handler.handle(
            .tunnelCreate, ["dest_ipaddr": "127.0.0.1", "peer_udp_port": "9"], caller: Self.caller)
        #expect(created.status == .ok, "\(created.message)")
        await runtime.close()
    }

    @Test func controlCharactersInANameAreShownEscaped() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let reply = await handler.handle(
            .systemModify, ["max_tunnels\nsystem modify deny_local_tunnel_creates\u{1b}[2J": "1"], caller: Self.caller)
        #expect(reply.status == .unknownParameter)
        #expect(
            reply.message.hasPrefix(
                #"unknown parameter 'max_tunnels\nsystem modify deny_local_tunnel_creates\u{1B}[2J' for 'system modify'"#
            ),
            "\(reply.message.debugDescription)")
        await runtime.close()
    }

    static let junkValues: [(ManagementProcedure, String, String)] = [
        (.systemModify, "max_tunnels", "5 deny_local_tunnel_creates=yes"),
        (.systemModify, "max_tunnels", "5;system modify deny_local_tunnel_creates=yes"),
        (.systemModify, "max_tunnels", "5\n"),
        (.systemModify, "max_tunnels", "\"5\""),
        (.systemModify, "drain_tunnels", "no max_tunnels=3"),
        (.systemModify, "tunnel_establish_timeout", "30s max_sessions=2"),
        (.systemModify, "trace_flags", "FSM max_tunnels=3"),
        (.tunnelCreate, "dest_ipaddr", "127.0.0.1 max_tunnels=3"),
        // A flag's value is a boolean too: junk after it is refused, not ignored.
        (.tunnelList, "local_only", "yes remote_only"),
        (.tunnelList, "local_only", "yes\n"),
    ]

    @Test(arguments: 0..<junkValues.count)
    func valueWithTrailingJunkIsRefusedNamingTheParameter(_ index: Int) async throws {
        let (procedure, name, value) = Self.junkValues[index]
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let reply = await handler.handle(
            procedure, ManagementRequest(parameters: [ManagementParameter(name: name, value: value)]),
            caller: Self.caller)
        #expect(reply.status == .badParameterValue, "\(name)=\(value.debugDescription): \(reply.message)")
        #expect(reply.message.hasPrefix("\(name): "), "\(reply.message)")
        #expect(Self.isVisible(reply.message), "\(reply.message.debugDescription)")
        #expect(reply.records.isEmpty)
        await Self.expectSystemUnchanged(handler, "\(name)=\(value.debugDescription)")
        await runtime.close()
    }

    /// Values whose characters combine with a quote around them (a leading
    /// combining mark, a trailing prepended concatenation mark): rendered as
    /// quoted text they escaped their quotes. As a typed value each is just
    /// the host name.
    static let graphemeValues = [
        "\u{301} hello_timeout=99 secret=\u{600}", "\u{301}x\" max_retries=9 secret=\u{600}",
    ]

    @Test(arguments: graphemeValues)
    func valueIsStoredExactlyAndSetsNoOtherParameter(_ value: String) async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let reply = await handler.handle(
            .tunnelProfileCreate, ManagementRequest(["profile_name": "p", "host_name": value]), caller: Self.caller)
        #expect(reply.status == .ok, "\(reply.message)")
        let shown = await handler.handle(.tunnelProfileGet, ["profile_name": "p"], caller: Self.caller)
        let record = try #require(shown.records.first)
        #expect(record["host_name"] == .string(value))
        #expect(record["hello_timeout"] == .int(60))
        #expect(record["max_retries"] == .int(5))
        #expect(record["secret"] == ManagementValue.none)
        await runtime.close()
    }

    @Test func flagsAreBooleansAndTheirGroupsStillExclude() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let created = await handler.handle(
            .tunnelCreate, ["dest_ipaddr": "127.0.0.1", "peer_udp_port": "9"], caller: Self.caller)
        #expect(created.status == .ok, "\(created.message)")
        for value in ["yes", "on", "TRUE", "1", ""] {
            let reply = await handler.handle(
                .tunnelList, ManagementRequest(["remote_only": value]), caller: Self.caller)
            #expect(reply.status == .ok && reply.records.isEmpty, "remote_only=\(value): \(reply)")
        }
        for value in ["no", "off", "false", "0"] {
            let reply = await handler.handle(
                .tunnelList, ManagementRequest(["remote_only": value]), caller: Self.caller)
            #expect(reply.status == .ok && reply.records.count == 1, "remote_only=\(value): \(reply)")
        }
        let both = await handler.handle(
            .tunnelList, ["local_only": "yes", "remote_only": "yes"], caller: Self.caller)
        #expect(both.status == .conflictingParameters)
        #expect(both.message == "'remote_only' cannot be combined with 'local_only'")
        let twice = await handler.handle(
            .tunnelList, ManagementRequest(["names": "yes", "names": "1"]), caller: Self.caller)
        #expect(twice.status == .badParameterValue && twice.message == "names: given more than once", "\(twice)")
        // A flag another command has is no parameter of this one.
        let foreign = await handler.handle(.tunnelList, ["config": "yes"], caller: Self.caller)
        #expect(foreign.status == .unknownParameter, "\(foreign)")
        #expect(
            foreign.message
                == "unknown parameter 'config' for 'tunnel list'; valid parameters: local_only, remote_only, names")
        await runtime.close()
    }

    @Test func unsetNamesTravelWithEmptyValuesOnly() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let withValue = await handler.handle(
            .pppProfileUnset, ["profile_name": "default", "mtu": "1400"], caller: Self.caller)
        #expect(withValue.status == .badParameterValue)
        #expect(withValue.message == "mtu: 'unset' takes parameter names without values")
        let noNames = await handler.handle(.pppProfileUnset, ["profile_name": "default"], caller: Self.caller)
        #expect(noNames.status == .badParameterValue, "\(noNames)")
        #expect(noNames.message == "'ppp profile unset' needs the names of the parameters to reset")
        let twice = await handler.handle(
            .pppProfileUnset, ManagementRequest(["profile_name": "default", "mtu": "", "mtu": ""]), caller: Self.caller)
        #expect(twice.message == "mtu: given more than once")
        await runtime.close()
    }
}

/// Every parameter and flag of every command of L2TPConfig's tables reaches
/// the daemon through the typed path, giving what the grammar gives for the
/// same value written on a command line, or the same refusal.
@Suite struct DaemonManagementHandlerParameterTableTests {
    /// What a command came to, without where its parts were (text has
    /// columns, a request has positions).
    enum Outcome: Equatable, CustomStringConvertible {
        case command(CommandPath, [ParameterName: ConfigValue], Set<BareKeyword>, [ParameterName])
        case refused(ManagementStatus, String)

        var description: String {
            switch self {
            case .command(let path, let arguments, let keywords, let unset):
                "\(path) \(arguments.sorted { $0.key < $1.key }) \(keywords.map(\.rawValue).sorted()) unset \(unset)"
            case .refused(let status, let message): "refused \(status.rawValue): \(message)"
            }
        }
    }

    static func outcome(_ parsed: ParsedCommand) -> Outcome {
        .command(parsed.path, parsed.arguments, parsed.keywords, parsed.unsetParameters)
    }

    static func typed(_ path: CommandPath, _ parameters: [(String, String)]) -> Outcome {
        let request = ManagementRequest(parameters: parameters.map { ManagementParameter(name: $0.0, value: $0.1) })
        switch DaemonManagementHandler.command(path, request) {
        case .parsed(let command): return outcome(command)
        case .rejected(let reply): return .refused(reply.status, reply.message)
        }
    }

    /// The same arguments written as a command line: `name=value` with the
    /// value quoted as `config save` would, a flag or an unset name as a word.
    static func grammar(_ path: CommandPath, _ parameters: [(String, String)], spec: CommandSpec) -> Outcome {
        var words = path.words
        for (name, value) in parameters {
            let bare =
                spec.bareKeywords.contains { $0.rawValue == name }
                || (spec.takesParameterNames && name != "profile_name" && value.isEmpty)
            words.append(bare ? name : "\(name)=\(CommandRenderer.quotedIfNeeded(value))")
        }
        do {
            return outcome(try CommandParser().parseValidatedCommand(words.joined(separator: " ")))
        } catch {
            return .refused(DaemonManagementHandler.status(error), error.message)
        }
    }

    /// Texts each type accepts (canonical and other spellings), then texts it refuses.
    static func samples(_ type: ValueType) -> (valid: [String], invalid: [String]) {
        switch type {
        case .bool: return (["yes", "OFF", "true", "0"], ["yes please", "maybe"])
        case .integer(let r):
            return (
                [String(r.upperBound), String(r.lowerBound), "0x" + String(r.lowerBound, radix: 16)],
                [String(r.upperBound) + " x", String(r.upperBound + 1), "12abc"]
            )
        case .duration(let r):
            return (
                [String(r.upperBound), "\(r.lowerBound)s"] + (r.contains(60) ? ["1m", "1M"] : []),
                ["\(r.upperBound)s x", String(r.upperBound + 1), "5d"]
            )
        case .ipv4Address: return (["192.0.2.7", "0.0.0.0"], ["192.0.2.7 x", "999.1.1.1", "1.2.3"])
        case .netmask: return (["/24", "255.255.0.0", "8"], ["/33", "255.0.255.0", "/24 x"])
        case .choice(let words):
            return ([words[words.count - 1], words[0].uppercased()], ["zzz", words[0] + " x"])
        case .string(let max):
            return (
                ["a b \"q\" 'r' #x;y\\z=1", String(repeating: "z", count: max), "name=value"],
                ["a\u{1}b", "tab\tin", String(repeating: "z", count: max + 1)]
            )
        case .traceFlags: return (["FSM,AVP", "0x3", "all", "PROTOCOL | PPP"], ["FSM bogus", "0x10000"])
        case .connectSpeed: return (["64000:128000", "9600"], ["1:2:3", "fast"])
        }
    }

    /// Arguments a command needs before another can be tried on it.
    static func baseArguments(_ spec: CommandSpec) -> [(ParameterName, String)] {
        var base: [(ParameterName, String)] = []
        for parameter in spec.parameters where parameter.isRequired {
            base.append((parameter.name, samples(parameter.type).valid[0]))
        }
        for group in spec.requiredOneOf where !group.contains(where: { name in base.contains { $0.0 == name } }) {
            base.append((group[0], samples(spec.parameter(group[0])!.type).valid[0]))
        }
        return base
    }

    /// `parameter=text` on top of the base, dropping base arguments it replaces or excludes.
    static func arguments(_ spec: CommandSpec, _ parameter: ParameterSpec, _ text: String) -> [(String, String)] {
        let kept = baseArguments(spec).filter { base in
            base.0 != parameter.name
                && !spec.mutuallyExclusive.contains { $0.contains(base.0) && $0.contains(parameter.name) }
        }
        return kept.map { ($0.0.rawValue, $0.1) } + [(parameter.name.rawValue, text)]
    }

    static let commands = CommandTable.standard.commands

    @Test(arguments: 0..<commands.count)
    func everyParameterRoundTrips(_ index: Int) throws {
        let spec = Self.commands[index]
        for parameter in spec.parameters {
            let unsetting = spec.takesParameterNames && parameter.name != .profileName
            let (valid, invalid) = Self.samples(parameter.type)
            for text in unsetting ? [""] : valid + [""] + invalid {
                let arguments = Self.arguments(spec, parameter, text)
                let typed = Self.typed(spec.path, arguments)
                #expect(typed == Self.grammar(spec.path, arguments, spec: spec), "\(spec.path) \(arguments)")
                if !unsetting, text.isEmpty || valid.contains(text), case .command(_, let values, _, _) = typed {
                    let expected = text.isEmpty ? ConfigValue.notSet : try parameter.type.parse(text).get()
                    #expect(values[parameter.name] == expected, "\(spec.path) \(parameter.name)=\(text)")
                }
                if invalid.contains(text) {
                    #expect(typed.description.contains("refused -501: \(parameter.name.rawValue): "), "\(typed)")
                }
            }
        }
    }

    @Test(arguments: 0..<commands.count)
    func everyFlagRoundTrips(_ index: Int) throws {
        let spec = Self.commands[index]
        let base = Self.baseArguments(spec).map { ($0.0.rawValue, $0.1) }
        for keyword in spec.bareKeywords {
            let arguments = base + [(keyword.rawValue, "yes")]
            let typed = Self.typed(spec.path, arguments)
            #expect(typed == Self.grammar(spec.path, arguments, spec: spec), "\(spec.path) \(arguments)")
            guard case .command(_, _, let keywords, _) = typed else {
                Issue.record("\(spec.path) \(keyword) refused: \(typed)")
                continue
            }
            #expect(keywords == [keyword])
        }
    }

    /// A name is one exact parameter: what the grammar reads as a prefix, in
    /// another case, or with more text around it is no name on the wire.
    @Test(arguments: 0..<commands.count)
    func everyNameIsExact(_ index: Int) throws {
        let spec = Self.commands[index]
        let names = spec.parameters.map(\.name.rawValue) + spec.bareKeywords.map(\.rawValue)
        let base = Self.baseArguments(spec).map { ($0.0.rawValue, $0.1) }
        for name in names {
            let variants = [
                String(name.dropLast()), name.uppercased(), name + " ", "\n" + name, name + "=1", name + " " + name,
            ]
            for variant in variants where !names.contains(variant) {
                let typed = Self.typed(spec.path, base + [(variant, "1")])
                guard case .refused(let status, let message) = typed else {
                    Issue.record("\(spec.path): \(variant.debugDescription) accepted: \(typed)")
                    continue
                }
                #expect(status == .unknownParameter, "\(spec.path) \(variant.debugDescription): \(message)")
                #expect(message.hasPrefix("unknown parameter '"), "\(message)")
                #expect(!message.contains("\n"))
            }
        }
    }
}

/// `config save`'s `file` is checked by the table before anything is written.
@Suite struct DaemonManagementHandlerConfigSaveFileTests {
    @Test func fileIsATableValue() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let caller = DaemonManagementHandlerStatusTests.caller
        let empty = await handler.handle(.configSave, ["file": ""], caller: caller)
        #expect(empty.status == .ok, "\(empty.message)")
        // `file=` is "not set": the text comes back instead of a write to "".
        #expect(empty.records.first?.kind == "config", "\(empty)")
        let path = "/tmp/openl2tpd-save-\(getpid())\nx.conf"
        let control = await handler.handle(.configSave, ManagementRequest(["file": path]), caller: caller)
        #expect(control.status == .badParameterValue)
        #expect(control.message == "file: value contains a control character")
        #expect(access(path, F_OK) != 0)
        let twice = await handler.handle(
            .configSave, ManagementRequest(["file": "/tmp/a", "file": "/tmp/b"]), caller: caller)
        #expect(twice.status == .badParameterValue && twice.message == "file: given more than once")
        await runtime.close()
    }
}

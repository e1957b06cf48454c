import Testing

@testable import L2TPConfig

/// Every configuration example of the OpenL2TP quick start, extracted verbatim
/// (the extraction lost the IP addresses, leaving `dest_ipaddr= \` and the
/// like), and the same examples with documentation addresses filled in.
/// The ippoold example (`pool create ...`) belongs to ippoolconfig and is not
/// in this grammar.
@Suite struct QuickStartFixtureTests {
    static let verbatim = (try? TestFiles.fixtures("QuickStart")) ?? []
    static let realistic = (try? TestFiles.fixtures("Realistic")) ?? []

    @Test func allFixturesArePresent() {
        #expect(Self.verbatim.count == 13)
        #expect(Self.realistic.map(\.name) == Self.verbatim.map(\.name))
    }

    @Test(arguments: verbatim.map(\.name)) func verbatimExampleParses(_ name: String) throws {
        let text = try TestFiles.fixture("QuickStart", name)
        let output = CommandParser().parse(text, file: name)
        #expect(output.errors.isEmpty, "\(output.errors)")
        #expect(!output.commands.isEmpty)
    }

    /// What loading the verbatim examples reports: only the holes the
    /// extraction left where a value is required or a profile is missing.
    @Test func verbatimExamplesValidateExceptWhereTextWasLost() throws {
        var report: [String: [String]] = [:]
        var warnings: [String: [String]] = [:]
        for (name, text) in Self.verbatim {
            let result = ConfigLoader.load(text: text, file: name)
            if !result.errors.isEmpty { report[name] = result.errors.map(\.description) }
            if !result.warnings.isEmpty { warnings[name] = result.warnings.map(\.location!.description) }
        }
        #expect(
            report == [
                "01-lac-client.conf": [
                    "01-lac-client.conf:4:47: dest_ipaddr: is required by 'tunnel create' but was given an empty value"
                ],
                "08-peer-network-profiles.conf": [
                    "08-peer-network-profiles.conf:3:28: tunnel profile '123net' does not exist (named by tunnel_profile_name of peer profile 'anyname')",
                    "08-peer-network-profiles.conf:4:29: session profile '123net' does not exist (named by session_profile_name of peer profile 'anyname')",
                ],
            ])
        #expect(
            warnings == [
                // The glued `ppp profile modify` line.
                "06-ipsec-fixed-ports.conf": ["06-ipsec-fixed-ports.conf:2:5"],
                // The session's tunnel was not created (its dest_ipaddr is missing).
                "01-lac-client.conf": ["01-lac-client.conf:6:28"],
            ])
    }

    /// The quick start's interactive l2tpconfig session.
    @Test(arguments: ["system show status", "user list", "session show tunnel_id=17767 session_id=9158"])
    func interactiveExampleParsesAndValidates(_ line: String) throws {
        let command = try CommandParser().parseValidatedCommand(line)
        #expect(!command.path.words.isEmpty)
    }

    @Test func interactiveSessionShowArguments() throws {
        let command = try CommandParser().parseValidatedCommand("session show tunnel_id=17767 session_id=9158")
        #expect(command.path == .sessionShow)
        #expect(command.integer(.tunnelID) == 17767)
        #expect(command.integer(.sessionID) == 9158)
    }

    @Test func verbatimClientExampleStillCreatesTheSession() throws {
        let text = try TestFiles.fixture("QuickStart", "01-lac-client.conf")
        let result = ConfigLoader.load(text: text, file: "client")
        #expect(result.actions.map(\.path) == [.sessionCreate])
        #expect(result.actions.first?.string(.userName) == "bert")
        #expect(result.model.profiles.pppProfile("default")?.authEAP == false)
        #expect(result.model.profiles.pppProfile("default")?.authMSCHAPv2 == false)
    }

    @Test func verbatimEmptyAddressesMeanNotSet() throws {
        let text = try TestFiles.fixture("QuickStart", "03-fixed-peer-addresses.conf")
        let (model, _) = try ConfigLoader.load(text: text, file: "x").get()
        #expect(model.profiles.names(.ppp) == ["default", "peer1", "peer2"])
        #expect(model.profiles.pppProfile("peer1")?.localIPAddress == nil)
        #expect(model.profiles.peerProfile("peer2")?.peerIPAddress == nil)
    }

    @Test(arguments: realistic.map(\.name)) func realisticExampleValidatesFully(_ name: String) throws {
        let text = try TestFiles.fixture("Realistic", name)
        let result = ConfigLoader.load(text: text, file: name)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
    }

    @Test func realisticClientExample() throws {
        let (model, actions) = try ConfigLoader.load(
            text: TestFiles.fixture("Realistic", "01-lac-client.conf"), file: "c"
        ).get()
        #expect(actions.map(\.path) == [.tunnelCreate, .sessionCreate])
        let tunnel = try model.profiles.resolveLocalTunnel(actions[0])
        #expect(tunnel.settings.persist)
        let session = try model.profiles.resolveSession(in: tunnel, request: actions[1])
        #expect(session.ppp.authPAP && session.ppp.authCHAP && !session.ppp.authEAP)
        #expect(actions[1].string(.userPassword) == "ernie")
    }

    @Test func realisticFixedAddressesSelectPerPeerPPPProfile() throws {
        let (model, _) = try ConfigLoader.load(
            text: TestFiles.fixture("Realistic", "03-fixed-peer-addresses.conf"), file: "c"
        ).get()
        let tunnel = try model.profiles.resolveIncomingTunnel(hostName: nil, address: IPv4Address(192, 0, 2, 22))
        let session = try model.profiles.resolveSession(in: tunnel)
        #expect(session.ppp.name == "peer2")
        #expect(session.ppp.remoteIPAddress == IPv4Address(198, 51, 100, 12))
    }

    @Test func realisticNetworkProfiles() throws {
        let (model, _) = try ConfigLoader.load(
            text: TestFiles.fixture("Realistic", "08-peer-network-profiles.conf"), file: "c"
        ).get()
        let tunnel = try model.profiles.resolveIncomingTunnel(hostName: nil, address: IPv4Address(203, 0, 113, 77))
        #expect(tunnel.peerProfile.name == "anyname")
        #expect(tunnel.settings.helloTimeout == 30)
        #expect(try model.profiles.resolveSession(in: tunnel).settings.useSequenceNumbers)
    }
}

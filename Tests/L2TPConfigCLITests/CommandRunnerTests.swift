import Foundation
import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

/// l2tpconfig end to end: the program logic over the real RPC client and
/// server against `FakeDaemon`. Each command is checked by its output and by
/// the daemon's state afterwards.
@Suite(.serialized) struct CommandRunnerTests {
    @Test func quickStartSessionThroughTheDaemon() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }

        var run = await test.run([
            "ppp", "profile", "modify", "profile_name=default", "auth_eap=no", "auth_mschapv1=no",
        ])
        #expect(run.status == .success)
        #expect(run.out.isEmpty && run.error.isEmpty)
        #expect(test.daemon.snapshot.model.profiles.explicitValues(.ppp, "default")?[.authEAP] == .bool(false))

        run = await test.run(["tunnel", "create", "tunnel_name=katalix", "dest_ipaddr=192.0.2.1", "persist=yes"])
        #expect(run.status == .success)
        #expect(run.out == "Created tunnel 17767\n")
        let tunnel = try #require(test.daemon.snapshot.tunnels[17767])
        #expect(tunnel.arguments[.destIPAddress] == .ipv4(IPv4Address(192, 0, 2, 1)))
        #expect(tunnel.arguments[.persist] == .bool(true))

        // Unique prefixes of keywords and parameter names.
        run = await test.run(["sess", "cr", "tunnel_n=katalix", "session_name=katalix", "user_name=bert"])
        #expect(run.out == "Created session 17767/9158\n")
        #expect(test.daemon.snapshot.sessions.map(\.id) == [9158])
        #expect(test.daemon.snapshot.sessions.first?.arguments[.userName] == .string("bert"))

        run = await test.run(["system", "show", "status"])
        #expect(run.out == "L2TP service status:-\n  tunnels: 1, sessions: 1\n")

        run = await test.run(["user", "list"])
        #expect(
            run.out == """
                   TunId  SesId  User                                              Create Time
                   17767   9158  bert                                 Mon Feb  4 13:45:10 2008

                """)

        run = await test.run(["session", "show", "tunnel_id=17767", "session_id=9158"])
        #expect(run.out.hasPrefix("Session 9158 on tunnel 17767:-\n  type: LAC Incoming Call, state: ESTABLISHED\n"))
        #expect(run.out.contains("  ppp user name: bert\n"))

        run = await test.run(["-q", "tunnel", "create", "dest_ipaddr=192.0.2.9"])
        #expect(run.status == .success && run.out.isEmpty)
        test.daemon.addRemoteTunnel(dest: "198.51.100.7")
        run = await test.run(["tunnel", "list"])
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("   TunId             Peer"))
        #expect(lines[1].hasPrefix("   17767        192.0.2.1"))
        #expect(lines[3].hasPrefix("*  17769     198.51.100.7"))
        run = await test.run(["tunnel", "list", "remote_only"])
        #expect(run.out.split(separator: "\n").count == 2)
        #expect(test.daemon.snapshot.calls.last?.1["remote_only"] == "yes")

        run = await test.run(["tunnel", "modify", "tunnel_name=katalix", "hello_timeout=30"])
        #expect(run.status == .success)
        #expect(test.daemon.snapshot.tunnels[17767]?.arguments[.helloTimeout] == .seconds(30))

        run = await test.run(["session", "delete", "tunnel_id=17767", "session_name=katalix"])
        #expect(run.status == .success)
        #expect(test.daemon.snapshot.sessions.isEmpty)
        run = await test.run(["tunnel", "delete", "tunnel_id=17768"])
        #expect(test.daemon.snapshot.tunnels[17768] == nil)
        await test.stop()
    }

    @Test func profilesPeersDebugAndSystem() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }

        var run = await test.run([
            "ppp", "profile", "create", "profile_name=peer1", "local_ipaddr=10.0.0.1", "mtu=1400",
        ])
        #expect(run.status == .success)
        run = await test.run([
            "peer", "profile", "create", "profile_name=peer1", "peer_ipaddr=192.0.2.5", "ppp_profile_name=peer1",
        ])
        #expect(run.status == .success)
        #expect(test.daemon.snapshot.model.profiles.names(.peer) == ["default", "peer1"])

        run = await test.run(["ppp", "profile", "list"])
        #expect(run.out == "  default\n  peer1\n")
        run = await test.run(["ppp", "profile", "show", "profile_name=peer1"])
        #expect(run.out.hasPrefix("PPP profile peer1:-\n"))
        #expect(run.out.contains("  mtu: 1400\n"))

        run = await test.run(["ppp", "profile", "unset", "profile_name=peer1", "mtu"])
        #expect(run.status == .success)
        #expect(test.daemon.snapshot.model.profiles.explicitValues(.ppp, "peer1")?[.mtu] == nil)

        run = await test.run(["ppp", "profile", "delete", "profile_name=default"])
        #expect(run.status == .commandFailed)
        #expect(run.error.contains("ppp profile delete:"))
        #expect(run.error.contains("'default' cannot be deleted"))

        run = await test.run(["system", "modify", "max_sessions=100", "deny_remote_tunnel_creates=yes"])
        #expect(run.status == .success)
        #expect(test.daemon.snapshot.model.system.maxSessions == 100)
        run = await test.run(["system", "show", "configuration"])
        #expect(run.out.hasPrefix("L2TP configuration:-\n"))
        #expect(run.out.contains("  max_sessions: 100\n"))

        run = await test.run(["system", "show", "version"])
        #expect(run.out.contains("version: fake"))
        run = await test.run(["system", "show", "statistics"])
        #expect(run.out.contains("SCCRQ"))

        run = await test.run(["debug", "modify", "trace_flags=PROTOCOL,FSM"])
        #expect(test.daemon.snapshot.systemTraceFlags == 3)
        run = await test.run(["debug", "show"])
        #expect(run.out == "system trace flags: PROTOCOL,FSM\n")

        _ = await test.run(["tunnel", "create", "dest_ipaddr=192.0.2.5"])
        run = await test.run(["peer", "list"])
        #expect(run.out.contains("192.0.2.5"))
        run = await test.run(["peer", "show", "peer_ipaddr=192.0.2.5"])
        #expect(run.out.hasPrefix("Peer 192.0.2.5:-\n"))
        await test.stop()
    }

    @Test func jsonForEveryShowAndList() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        _ = await test.run(["tunnel", "create", "tunnel_name=t1", "dest_ipaddr=192.0.2.1"])
        _ = await test.run(["session", "create", "tunnel_name=t1", "user_name=bert"])
        let commands = [
            "system show", "system show status", "system show version", "system show statistics",
            "tunnel show tunnel_name=t1", "tunnel list", "session show tunnel_name=t1 session_id=9158",
            "session list tunnel_name=t1", "tunnel profile show profile_name=default", "ppp profile list",
            "peer list", "peer show peer_ipaddr=192.0.2.1", "user list", "debug show",
        ]
        for command in commands {
            let run = await test.run(["--json"] + command.split(separator: " ").map(String.init))
            #expect(run.status == .success, "\(command)")
            #expect(run.out.filter { $0 == "\n" }.count == 1, "\(command): one document")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any], "\(command)")
            #expect(object["command"] as? String == (try CommandParser().parseCommand(command)).path.description)
            #expect(object["status"] as? Int == 0)
            #expect(!(try #require(object["records"] as? [[String: Any]])).isEmpty, "\(command)")
        }
        let users = await test.run(["-j", "user", "list"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(users.out.utf8)) as? [String: Any])
        let records = try #require(object["records"] as? [[String: Any]])
        #expect(records.first?["user_name"] as? String == "bert")
        #expect(records.first?["session_id"] as? Int == 9158)

        let failed = await test.run(["-j", "tunnel", "show", "tunnel_id=4"])
        #expect(failed.status == .commandFailed)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(failed.out.utf8)) as? [String: Any])
        #expect(error["status"] as? Int == -504)
        #expect((error["error"] as? String)?.contains("no such tunnel") == true)
        await test.stop()
    }

    @Test(arguments: [
        (["tunel", "list"], "unknown command 'tunel'; expected one of: system, tunnel, session"),
        (["tunnel", "create", "dest_ipaddr=192.0.2.1", "max_sessions=abc"], "max_sessions: 'abc' is not a number"),
        (["tunnel", "create", "dest_ipaddr=999.1.1.1"], "dest_ipaddr: '999.1.1.1' is not an IPv4 address"),
        (
            ["tunnel", "create", "bogus=1", "dest_ipaddr=192.0.2.1"],
            "unknown parameter 'bogus' for 'tunnel create'; valid parameters: dest_ipaddr"
        ),
        (["tunnel", "create"], "dest_ipaddr"),
        (["session", "show", "tunnel_id=1"], "'session show' needs one of: session_id, session_name"),
        (["s", "list"], "ambiguous keyword 's': could be system, session"),
    ])
    func badInputIsRejectedBeforeTheDaemon(_ arguments: [String], _ message: String) async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let run = await test.run(arguments)
        #expect(run.status == .commandFailed)
        #expect(run.status.rawValue == 1)
        #expect(run.error.contains(message), "\(run.error)")
        #expect(run.out.isEmpty)
        #expect(test.daemon.procedures.isEmpty, "nothing reached the daemon")
        await test.stop()
    }

    @Test func oneShotHelpNeedsNoDaemon() async {
        let run = await runL2TPConfig(["-S", "/nonexistent/sock", "help", "tunnel", "create"])
        #expect(run.status == .success)
        #expect(run.out.hasPrefix("tunnel create: set up a tunnel to a peer\n"))
        #expect(run.out.contains("dest_ipaddr"))
        let top = await runL2TPConfig(["-S", "/nonexistent/sock", "help"])
        #expect(top.out.hasPrefix("commands:\n"))
        #expect(top.out.contains("  tunnel "))
    }

    @Test func interactiveConnectionSurvivesTheDaemonsIdleTimeout() async throws {
        let test = try await TestDaemon.start(idleTimeout: .milliseconds(200))
        defer { Task { await test.stop() } }
        let path = test.socketPath
        let outputs: [String] = await onOwnThread {
            let captured = CapturedOutput()
            let runner = CommandRunner(
                connection: DaemonConnection(endpoint: .unixSocket(path)), output: captured.output)
            var results: [String] = []
            for _ in 0..<2 {
                captured.reset()
                runner.run(line: "system show status")
                results.append(captured.out + captured.error)
                usleep(600_000)  // the server closes the idle connection meanwhile
            }
            return results
        }
        #expect(outputs == Array(repeating: "L2TP service status:-\n  tunnels: 0, sessions: 0\n", count: 2))
        await test.stop()
    }

    @Test func remoteDaemonOverTCP() async throws {
        let test = try await TestDaemon.start(tcp: true)
        defer { Task { await test.stop() } }
        let port = try #require(test.server.port)
        let run = await runL2TPConfig(["-R", "127.0.0.1:\(port)", "tunnel", "create", "dest_ipaddr=192.0.2.1"])
        #expect(run.status == .success, "\(run.error)")
        #expect(run.out == "Created tunnel 17767\n")
        #expect(test.daemon.snapshot.tunnels.count == 1)
        await test.stop()
    }

    @Test func daemonRefusalsNameTheObject() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let run = await test.run(["tunnel", "show", "tunnel_id=42"])
        #expect(run.status == .commandFailed)
        #expect(run.error == "tunnel show: tunnel_id 42: no such tunnel\n")
        await test.stop()
    }

    @Test func noDaemonIsReportedPlainly() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/absent.sock"
        let run = await runL2TPConfig(["-S", path, "tunnel", "list"])
        #expect(run.status == .daemonUnreachable)
        #expect(run.status.rawValue != 0)
        #expect(run.error.hasPrefix("cannot reach openl2tpd at \(path)"))
        #expect(run.error.split(separator: "\n").count == 1)
        let fromEnvironment = await runL2TPConfig(["system", "show"], environment: ["L2TP_SOCKET": path])
        #expect(fromEnvironment.error.hasPrefix("cannot reach openl2tpd at \(path)"))
    }

    @Test func scriptStopsAtTheFirstRefusedCommandWithFileAndLine() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let file = test.directory + "/setup.l2tp"
        try """
        # comment
        tunnel create tunnel_name=a dest_ipaddr=192.0.2.1
        tunnel show tunnel_name=nosuch
        tunnel create tunnel_name=b dest_ipaddr=192.0.2.2
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = await test.run(["-f", file])
        #expect(run.status == .commandFailed)
        #expect(run.error == "\(file):3: tunnel show: tunnel_name nosuch: no such tunnel\n")
        #expect(test.daemon.snapshot.tunnels.count == 1, "stopped after line 3")
        await test.stop()
    }

    @Test func scriptWithGrammarErrorsRunsNothing() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let file = test.directory + "/bad.l2tp"
        try """
        tunnel create tunnel_name=a dest_ipaddr=192.0.2.1
        system modify max_sessions=abc
        tunnel crate dest_ipaddr=192.0.2.2
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let run = await test.run(["-f", file])
        #expect(run.status == .commandFailed)
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(file):2: max_sessions:"))
        #expect(lines[1].hasPrefix("\(file):3: unknown keyword 'crate' after 'tunnel'"))
        #expect(test.daemon.procedures.isEmpty)
        await test.stop()
    }

    @Test func configSaveRestoresTheSameConfiguration() async throws {
        let first = try await TestDaemon.start()
        defer { Task { await first.stop() } }
        let setup = """
            system modify max_sessions=100 deny_remote_tunnel_creates=yes
            ppp profile modify profile_name=default auth_eap=no auth_mschapv1=no auth_mschapv2=no
            ppp profile create profile_name=peer1 local_ipaddr=10.0.0.1 remote_ipaddr=10.0.0.2
            tunnel profile create profile_name=secure auth_mode=challenge secret="two words; #1"
            peer profile create profile_name=peer1 peer_ipaddr=192.0.2.5 ppp_profile_name=peer1 tunnel_profile_name=secure
            tunnel create tunnel_name=katalix dest_ipaddr=192.0.2.1 persist=yes profile_name=secure
            session create tunnel_name=katalix session_name=katalix user_name=bert
            """
        var run = await first.run([], stdin: setup)
        #expect(run.status == .success, "\(run.error)")
        let saved = first.directory + "/saved.conf"
        run = await first.run(["config", "save", "file=\(saved)"])
        #expect(run.status == .success, "\(run.error)")
        let attributes = try FileManager.default.attributesOfItem(atPath: saved)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let stdout = await first.run(["config", "save"])
        #expect(stdout.out == (try String(contentsOfFile: saved, encoding: .utf8)))

        let second = try await TestDaemon.start()
        defer { Task { await second.stop() } }
        run = await second.run(["config", "restore", "file=\(saved)"])
        #expect(run.status == .success, "\(run.error)")
        let original = first.daemon.snapshot
        let restored = second.daemon.snapshot
        #expect(restored.model == original.model)
        #expect(restored.tunnels.values.map(\.arguments) == original.tunnels.values.map(\.arguments))
        #expect(restored.sessions.map(\.arguments) == original.sessions.map(\.arguments))
        // The daemon's config-file loader reads the same text.
        let loaded = ConfigLoader.load(text: try String(contentsOfFile: saved, encoding: .utf8), file: saved)
        #expect(loaded.errors.isEmpty)
        #expect(loaded.model == original.model)
        #expect(loaded.actions.map(\.path) == [.tunnelCreate, .sessionCreate])
        await first.stop()
        await second.stop()
    }

    @Test func configSaveAssemblesTheConfigurationWhenTheDaemonCannot() async throws {
        let first = try await TestDaemon.start()
        defer { Task { await first.stop() } }
        first.daemon.state.withLock { $0.configSaveSupported = false }
        let setup = """
            system modify max_tunnels=7 tunnel_establish_timeout=30
            ppp profile create profile_name=peer1 local_ipaddr=10.0.0.1 mtu=1400
            session profile modify profile_name=default use_sequence_numbers=yes
            peer profile create profile_name=peer1 peer_ipaddr=192.0.2.5 netmask=255.255.255.0 ppp_profile_name=peer1
            tunnel profile create profile_name=secure secret=s3cret auth_mode=challenge peer_profile_name=peer1
            tunnel create tunnel_name=katalix dest_ipaddr=192.0.2.1 persist=yes hello_timeout=30
            session create tunnel_name=katalix session_name=s1 user_name=bert
            """
        var run = await first.run([], stdin: setup)
        #expect(run.status == .success, "\(run.error)")
        first.daemon.addRemoteTunnel(dest: "198.51.100.1")
        run = await first.run(["config", "save"])
        #expect(run.status == .success, "\(run.error)")
        #expect(run.out.contains("(assembled by l2tpconfig)"))
        #expect(!run.out.contains("198.51.100.1"), "remotely created tunnels are not saved")

        let second = try await TestDaemon.start()
        defer { Task { await second.stop() } }
        run = await second.run([], stdin: run.out)
        #expect(run.status == .success, "\(run.error)")
        let original = first.daemon.snapshot
        let restored = second.daemon.snapshot
        #expect(restored.model == original.model)
        let tunnel = try #require(restored.tunnels.values.first)
        #expect(restored.tunnels.count == 1)
        #expect(tunnel.arguments == original.tunnels[17767]?.arguments)
        #expect(restored.sessions.map { $0.arguments[.userName] } == [.string("bert")])
        #expect(restored.sessions.map(\.name) == ["s1"])
        await first.stop()
        await second.stop()
    }

    @Test func configRestoreOfMissingFileNamesIt() async throws {
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let run = await test.run(["config", "restore", "file=/nonexistent/l2tp.conf"])
        #expect(run.status == .commandFailed)
        #expect(run.error.hasPrefix("/nonexistent/l2tp.conf: cannot read"))
        await test.stop()
    }
}

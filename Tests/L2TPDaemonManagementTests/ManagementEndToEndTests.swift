import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every l2tpconfig command through the real binary against real openl2tpd
/// processes on loopback, each checked by what the CLI printed and by a
/// second path: another RPC call, JSON output, or the peer daemon's view of
/// the wire (a tunnel created on the LAC comes up on the LNS).
@Suite(.serialized) struct ManagementEndToEndTests {
    // MARK: - Tunnels and sessions

    @Test func tunnelAndSessionCreatedWithTheCLIComeUpOnThePeer() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lns = RealDaemon(name: "lns", directory: directory)
        let lac = RealDaemon(name: "lac", directory: directory)
        try lns.start()
        try lac.start()

        let created = lac.cli(
            "tunnel", "create", "tunnel_name=t1", "dest_ipaddr=127.0.0.1",
            "peer_udp_port=\(lns.port)", "host_name=lac1")
        #expect(created.status == 0, "\(created)")
        let tunnelID = try #require(
            created.stdout.split(separator: " ").last.flatMap {
                UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines))
            },
            "\(created)")
        #expect(created.stdout == "Created tunnel \(tunnelID)\n")

        // The LAC's list (text and JSON) and the LNS's list agree: ESTABLISHED, the LNS marks it remote.
        #expect(
            lac.waitUntil { lac.cli("tunnel", "list").stdout.contains("ESTABLISHED") },
            "\(lac.cli("tunnel", "list"))\n\(lac.log)")
        let lacList = try lac.cli(json: "tunnel", "list").records()
        let ours = try #require(lacList.first { ($0["tunnel_id"] as? Int).map(UInt64.init) == tunnelID })
        #expect(ours["state"] as? String == "ESTABLISHED")
        #expect(ours["tunnel_name"] as? String == "t1")
        #expect(ours["created_by"] as? String == "local")
        let remote = try lns.cli(json: "tunnel", "list").records()
        #expect(remote.count == 1)
        #expect(remote.first?["created_by"] as? String == "remote")
        #expect((remote.first?["peer_tunnel_id"] as? Int).map(UInt64.init) == tunnelID)
        let lnsText = lns.cli("tunnel", "list").stdout
        #expect(lnsText.split(separator: "\n").dropFirst().first?.hasPrefix("*") == true, "remote mark: \(lnsText)")
        #expect(lnsText.contains("TunId") && lnsText.contains("PeerTId") && lnsText.contains("ConfigId"))

        // tunnel show and modify, by name.
        let shown = lac.cli("tunnel", "show", "tunnel_name=t1")
        #expect(shown.status == 0 && shown.stdout.hasPrefix("Tunnel \(tunnelID), from "), "\(shown)")
        #expect(lac.cli("tunnel", "modify", "tunnel_name=t1", "max_sessions=5").status == 0)
        #expect(lac.cli("tunnel", "show", "tunnel_name=t1").stdout.contains("  max_sessions: 5\n"))

        // A session: created by name, up on both sides, user listed.
        let session = lac.cli("session", "create", "tunnel_name=t1", "session_name=s1", "user_name=bert")
        #expect(session.status == 0 && session.stdout.hasPrefix("Created session "), "\(session)")
        #expect(
            lac.waitUntil {
                (try? lac.cli(json: "session", "list", "tunnel_name=t1").records().first?["state"] as? String)
                    == "ESTABLISHED"
            }, "\(lac.cli("session", "list", "tunnel_name=t1"))\n\(lac.log)")
        let sessionShow = lac.cli("session", "show", "tunnel_name=t1", "session_name=s1")
        #expect(sessionShow.stdout.contains("type: LAC Incoming Call, state: ESTABLISHED"), "\(sessionShow)")
        #expect(sessionShow.stdout.contains("  ppp user name: bert"))
        #expect(sessionShow.stdout.contains("  created by admin: YES, peer session id: "))
        #expect(sessionShow.stdout.contains("  data sequencing required: OFF"))
        // The quick start's peer block and data counters (the null data path here: zeros).
        #expect(
            sessionShow.stdout.contains("\n  Peer configuration data:-\n    data sequencing required: OFF\n"),
            "\(sessionShow)")
        #expect(sessionShow.stdout.contains("\n  data rx packets: 0, rx bytes: 0, rx errors: 0\n"), "\(sessionShow)")
        #expect(sessionShow.stdout.contains("\n  data tx packets: 0, tx bytes: 0, tx errors: 0\n"), "\(sessionShow)")
        let sessionJSON = try #require(
            try lac.cli(json: "session", "show", "tunnel_name=t1", "session_name=s1").records().first)
        #expect(sessionJSON["rx_packets"] as? Int == 0 && sessionJSON["tx_errors"] as? Int == 0, "\(sessionJSON)")
        #expect(
            sessionJSON["peer_framing_type"] is String && sessionJSON["peer_sequencing_required"] as? Bool == false,
            "\(sessionJSON)")
        let tunnelJSON = try #require(try lac.cli(json: "tunnel", "show", "tunnel_name=t1").records().first)
        #expect(tunnelJSON["data_rx_packets"] as? Int == 0, "\(tunnelJSON)")
        #expect(
            lac.cli("tunnel", "show", "tunnel_name=t1").stdout.contains(
                "\n  data rx packets: 0, rx bytes: 0, rx errors: 0\n"))
        let sessionList = lac.cli("session", "list", "tunnel_name=t1")
        #expect(sessionList.stdout.contains("LAIC") && sessionList.stdout.contains("ESTABLISHED"), "\(sessionList)")
        let users = lac.cli("user", "list")
        #expect(users.stdout.contains("User") && users.stdout.contains("bert"), "\(users)")
        let remoteTunnelID = try #require(remote.first?["tunnel_id"] as? Int)
        let lnsSessions = try lns.cli(json: "session", "list", "tunnel_id=\(remoteTunnelID)").records()
        #expect(lnsSessions.count == 1 && lnsSessions.first?["created_by"] as? String == "remote", "\(lnsSessions)")

        // Statistics on both sides: one SCCRQ sent by the LAC, received by the LNS.
        let statistics = lac.cli("system", "show", "statistics")
        #expect(statistics.stdout.contains("Per-message statistics:-"), "\(statistics)")
        let lacStats = try lac.cli(json: "system", "show", "statistics").records()
        #expect(lacStats.contains { $0["message"] as? String == "SCCRQ" && $0["tx"] as? Int == 1 }, "\(lacStats)")
        let lnsStats = try lns.cli(json: "system", "show", "statistics").records()
        #expect(lnsStats.contains { $0["message"] as? String == "SCCRQ" && $0["rx_good"] as? Int == 1 }, "\(lnsStats)")
        #expect(lac.cli("system", "show", "status").stdout == "L2TP service status:-\n  tunnels: 1, sessions: 1\n")

        // Peers and per-tunnel debug flags.
        let peers = try lac.cli(json: "peer", "list").records()
        #expect(peers.first?["peer_ipaddr"] as? String == "127.0.0.1", "\(peers)")
        #expect(lac.cli("peer", "show", "peer_ipaddr=127.0.0.1").stdout.hasPrefix("Peer 127.0.0.1:-"))
        #expect(lac.cli("debug", "modify", "tunnel_name=t1", "trace_flags=PROTOCOL").status == 0)
        let debug = lac.cli("debug", "show", "tunnel_name=t1")
        #expect(debug.stdout.contains(" \(tunnelID) trace flags: PROTOCOL"), "\(debug)")
        #expect(lac.cli("debug", "show").stdout.contains("trace flags: "))

        // session modify, then delete session and tunnel: gone on both sides.
        #expect(lac.cli("session", "modify", "tunnel_name=t1", "session_name=s1", "trace_flags=FSM").status == 0)
        #expect(lac.cli("debug", "show", "tunnel_name=t1", "session_name=s1").stdout.contains("trace flags: FSM"))
        #expect(lac.cli("session", "delete", "tunnel_name=t1", "session_name=s1").status == 0)
        #expect(
            lns.waitUntil {
                (try? lns.cli(json: "session", "list", "tunnel_id=\(remoteTunnelID)").records().isEmpty) == true
            })
        #expect(lac.cli("tunnel", "delete", "tunnel_name=t1").status == 0)
        // StopCCN on the wire: both ends leave ESTABLISHED (the closed tunnel
        // lingers in CLOSING for a while, RFC 2661 5.7, then disappears).
        func closed(_ daemon: RealDaemon) -> Bool {
            guard let records = try? daemon.cli(json: "tunnel", "list").records() else { return false }
            return records.allSatisfy { $0["state"] as? String != "ESTABLISHED" }
        }
        #expect(lns.waitUntil { closed(lns) }, "\(lns.cli("tunnel", "list"))\n\(lns.log)")
        #expect(lac.waitUntil { closed(lac) }, "\(lac.cli("tunnel", "list"))")
        #expect(
            try lac.cli(json: "tunnel", "show", "tunnel_id=\(tunnelID)").json()["status"] as? Int != 0
                || lac.cli("tunnel", "show", "tunnel_id=\(tunnelID)").stdout.contains("state: CLOSING"))

        // SIGTERM: clean exit, socket removed.
        #expect(!lac.log.contains("/tcp"), "--no-rpc-tcp: Unix socket only")
        #expect(lac.stop() == 0, "\(lac.log)")
        #expect(!FileManager.default.fileExists(atPath: lac.socketPath))
        #expect(lns.stop() == 0, "\(lns.log)")
    }

    // MARK: - System, profiles, debug

    @Test func systemSettingsAndProfilesThroughTheCLI() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = RealDaemon(name: "d", directory: directory)
        try daemon.start()
        defer { daemon.stop() }

        let version = daemon.cli("system", "show", "version")
        #expect(
            version.stdout.hasPrefix("L2TP service version:-") && version.stdout.contains("openl2tpd"), "\(version)")
        #expect(daemon.cli("system", "modify", "max_tunnels=10", "max_sessions=20").status == 0)
        #expect(daemon.cli("system", "show", "configuration").stdout.contains("  max_tunnels: 10\n"))
        let system = try daemon.cli(json: "system", "show").records()
        #expect(system.first?["max_sessions"] as? Int == 20, "\(system)")
        #expect(system.first?["num_tunnels"] as? Int == 0)

        for (kind, settings) in [
            ("tunnel", "hello_timeout=7"), ("session", "sequencing_required=yes"),
            ("ppp", "lcp_echo_interval=20"), ("peer", "peer_ipaddr=127.0.0.2"),
        ] {
            let created = daemon.cli(kind, "profile", "create", "profile_name=p-\(kind)", settings)
            #expect(created.status == 0, "\(kind): \(created)")
            let name = String(settings.split(separator: "=")[0])
            let shown = daemon.cli(kind, "profile", "show", "profile_name=p-\(kind)")
            #expect(shown.stdout.contains("profile p-\(kind):-"), "\(kind): \(shown)")
            let record = try daemon.cli(json: kind, "profile", "show", "profile_name=p-\(kind)").records().first
            #expect(record?["kind"] as? String == "\(kind)_profile")
            #expect(record?[name] != nil, "\(kind): \(String(describing: record))")
            let list = daemon.cli(kind, "profile", "list")
            #expect(list.stdout.contains("  p-\(kind)\n") && list.stdout.contains("  default\n"), "\(kind): \(list)")
        }
        // modify and unset, checked with show.
        #expect(daemon.cli("tunnel", "profile", "modify", "profile_name=p-tunnel", "hello_timeout=9").status == 0)
        #expect(
            daemon.cli("tunnel", "profile", "show", "profile_name=p-tunnel").stdout.contains("  hello_timeout: 9\n"))
        let unset = daemon.cli("tunnel", "profile", "unset", "profile_name=p-tunnel", "hello_timeout")
        #expect(unset.status == 0, "\(unset)")
        #expect(
            daemon.cli("tunnel", "profile", "show", "profile_name=p-tunnel").stdout.contains("  hello_timeout: 60\n"))
        // delete, checked with list.
        #expect(daemon.cli("ppp", "profile", "delete", "profile_name=p-ppp").status == 0)
        #expect(!daemon.cli("ppp", "profile", "list").stdout.contains("p-ppp"))

        // System trace flags.
        #expect(daemon.cli("debug", "modify", "trace_flags=FSM,API").status == 0)
        let flags = daemon.cli("debug", "show").stdout
        #expect(flags.contains("FSM") && flags.contains("API"), "\(flags)")
    }

    // MARK: - Errors

    @Test func badInputIsRejectedWithAClearMessage() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = RealDaemon(name: "d", directory: directory)
        try daemon.start()
        defer { daemon.stop() }

        let cases: [([String], [String])] = [
            (["system", "modify", "max_sessions=abc"], ["max_sessions", "abc"]),
            (["tunnel", "create", "dest_ipaddr=999.1.1.1"], ["dest_ipaddr", "999.1.1.1"]),
            (["frobnicate", "now"], ["frobnicate"]),
            (["tunnel", "create", "bogus_parameter=1", "dest_ipaddr=127.0.0.1"], ["bogus_parameter"]),
        ]
        for (words, mentions) in cases {
            let result = RealDaemon.cli(daemon.socketPath, words)
            #expect(result.status == 1, "\(words): \(result)")
            for word in mentions { #expect(result.stderr.contains(word), "\(words): \(result)") }
        }
        // Refusals by the daemon name the object and carry the protocol status.
        let missing = daemon.cli("tunnel", "show", "tunnel_id=4242")
        #expect(missing.status == 1 && missing.stderr.contains("tunnel_id 4242 not found"), "\(missing)")
        let json = try daemon.cli(json: "tunnel", "show", "tunnel_id=4242").json()
        #expect(json["status"] as? Int == -504, "\(json)")
        let profile = daemon.cli("tunnel", "profile", "delete", "profile_name=default")
        #expect(profile.status == 1 && profile.stderr.contains("default"), "\(profile)")
        let noProfile = daemon.cli("session", "profile", "show", "profile_name=nope")
        #expect(noProfile.status == 1 && noProfile.stderr.contains("nope"), "\(noProfile)")
        // Nothing of that changed the daemon.
        #expect(try daemon.cli(json: "tunnel", "list").records().isEmpty)
        #expect(try daemon.cli(json: "system", "show").records().first?["max_sessions"] as? Int == 0)
    }

    /// Several l2tpconfig processes at once: the calls are serialized on the
    /// daemon's event loop, each gets its own tunnel, and all come up.
    @Test func concurrentClientsEachCreateTheirOwnTunnel() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lns = RealDaemon(name: "lns", directory: directory)
        let lac = RealDaemon(name: "lac", directory: directory)
        try lns.start()
        try lac.start()
        defer {
            lac.stop()
            lns.stop()
        }
        let count = 8
        final class Results: @unchecked Sendable { var values = [CLIResult?](repeating: nil, count: 8) }
        let results = Results()
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = RealDaemon.cli(
                lac.socketPath,
                [
                    "tunnel", "create", "tunnel_name=c\(index)", "dest_ipaddr=127.0.0.1",
                    "peer_udp_port=\(lns.port)",
                ])
            lock.lock()
            results.values[index] = result
            lock.unlock()
        }
        let ids = Set(
            results.values.compactMap { result -> String? in
                guard let result, result.status == 0 else { return nil }
                return result.stdout.split(separator: " ").last.map {
                    $0.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            })
        #expect(ids.count == count, "\(results.values.map { $0.map(\.description) ?? "nil" })")
        #expect(
            lac.waitUntil {
                let records = (try? lac.cli(json: "tunnel", "list").records()) ?? []
                return records.count == count && records.allSatisfy { $0["state"] as? String == "ESTABLISHED" }
            }, "\(lac.cli("tunnel", "list"))")
        #expect(
            Set(try lac.cli(json: "tunnel", "list").records().compactMap { $0["tunnel_name"] as? String })
                == Set((0..<count).map { "c\($0)" }))
        #expect(try lns.cli(json: "tunnel", "list").records().count == count)
    }

    /// A client that sends half a request and stops must not stall the
    /// daemon: other clients are answered and the control plane runs.
    @Test func stalledClientDoesNotStallTheDaemon() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let daemon = RealDaemon(name: "d", directory: directory)
        try daemon.start()
        defer { daemon.stop() }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in daemon.socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(connected == 0)
        // Record marking header for a 200-byte last fragment, then 8 bytes of it.
        let partial: [UInt8] = [0x80, 0, 0, 200, 0, 0, 0, 1, 0, 0, 0, 0]
        #expect(write(fd, partial, partial.count) == partial.count)
        let started = Date()
        for _ in 0..<5 {
            let result = daemon.cli("system", "show", "status")
            #expect(result.status == 0, "\(result)")
        }
        // A stall would hold each call until the request timeout (10 s).
        #expect(Date().timeIntervalSince(started) < 8, "five calls beside a stalled client took too long")
        #expect(daemon.cli("system", "modify", "max_tunnels=2").status == 0)
        #expect(try daemon.cli(json: "system", "show").records().first?["max_tunnels"] as? Int == 2)
    }

    @Test func daemonNotRunningIsOneClearLine() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/absent.sock"
        let result = RealDaemon.cli(path, ["tunnel", "list"])
        #expect(result.status == 3, "\(result)")
        #expect(result.stderr.hasPrefix("cannot reach openl2tpd at \(path)"), "\(result)")
    }

    // MARK: - config save / restore

    /// The configuration as one line per command (continuations joined),
    /// without comments.
    static func commands(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\\\n\t", with: "").split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    @Test func configSaveThenRestoreReproducesTheRunningConfiguration() throws {
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lns = RealDaemon(name: "lns", directory: directory)
        try lns.start()
        defer { lns.stop() }
        let first = RealDaemon(name: "first", directory: directory)
        try first.start()
        for words in [
            ["system", "modify", "max_tunnels=7", "tunnel_establish_timeout=30"],
            ["tunnel", "profile", "create", "profile_name=tp", "hello_timeout=9"],
            ["session", "profile", "create", "profile_name=sp", "sequencing_required=yes"],
            ["ppp", "profile", "create", "profile_name=pp", "lcp_echo_interval=20"],
            [
                "tunnel", "create", "tunnel_name=rt", "dest_ipaddr=127.0.0.1", "peer_udp_port=\(lns.port)",
                "profile_name=tp",
            ],
            ["session", "create", "tunnel_name=rt", "session_name=rs", "user_name=ann"],
        ] {
            let result = RealDaemon.cli(first.socketPath, words)
            #expect(result.status == 0, "\(words): \(result)")
        }
        let saved = first.cli("config", "save")
        #expect(saved.status == 0)
        let expected = Self.commands(saved.stdout)
        #expect(expected.contains { $0.hasPrefix("tunnel create") && $0.contains("tunnel_name=rt") }, "\(saved.stdout)")
        #expect(expected.contains { $0.hasPrefix("session create") && $0.contains("user_name=ann") }, "\(saved.stdout)")
        #expect(expected.contains { $0.contains("max_tunnels=7") })
        let file = "\(directory)/saved.conf"
        #expect(first.cli("config", "save", "file=\(file)").status == 0)
        #expect(Self.commands((try? String(contentsOfFile: file, encoding: .utf8)) ?? "") == expected)
        #expect(first.stop() == 0)

        // A fresh daemon restored by the CLI.
        let second = RealDaemon(name: "second", directory: directory)
        try second.start()
        let restored = second.cli("config", "restore", "file=\(file)")
        #expect(restored.status == 0, "\(restored)")
        #expect(Self.commands(second.cli("config", "save").stdout) == expected)
        let tunnels = try second.cli(json: "tunnel", "list").records()
        #expect(tunnels.map { $0["tunnel_name"] as? String } == ["rt"], "\(tunnels)")
        #expect(second.stop() == 0)

        // The same file as the daemon's -c.
        let third = RealDaemon(name: "third", directory: directory)
        try third.start(configFile: file)
        #expect(Self.commands(third.cli("config", "save").stdout) == expected)
        #expect(third.cli("tunnel", "profile", "show", "profile_name=tp").stdout.contains("  hello_timeout: 9\n"))
        #expect(third.stop() == 0)
    }

    // MARK: - rpcbind

    @Test func rpcinfoReachesTheRealDaemon() async throws {
        guard
            let rpcinfo = ["/usr/sbin/rpcinfo", "/usr/bin/rpcinfo", "/sbin/rpcinfo"].first(
                where: FileManager.default.isExecutableFile)
        else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("rpcinfo is not installed") }
            return
        }
        guard RPCBindService.proceed(RPCBindService.ensureRunning(), test: "rpcinfo test") else { return }
        let directory = try RealDaemon.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lock = await HostRPCBindLock.acquire()
        defer { lock.release() }
        let daemon = RealDaemon(name: "d", directory: directory)
        try daemon.start(tcp: true)
        // Through rpcbind (the lock keeps other tests' registrations of 300773 out meanwhile).
        let ping = RealDaemon.run(rpcinfo, ["-T", "tcp", "127.0.0.1", "300773", "1"])
        #expect(ping.status == 0 && ping.stdout.contains("ready and waiting"), "\(ping)\n\(daemon.log)")
        // Ours registered its own TCP port, and that port answers NULL and l2tpconfig.
        let registered = daemon.log.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "registered program 300773 version 1 on tcp port ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }.first
        let port = try #require(registered, "no rpcbind registration in the log:\n\(daemon.log)")
        let direct = RealDaemon.run(rpcinfo, ["-n", String(port), "-T", "tcp", "127.0.0.1", "300773", "1"])
        #expect(direct.status == 0 && direct.stdout.contains("ready and waiting"), "\(direct)")
        #expect(daemon.cli("system", "modify", "max_tunnels=3").status == 0)
        let overTCP = RealDaemon.run(
            Products.path("l2tpconfig") ?? "", ["-R", "127.0.0.1:\(port)", "-j", "system", "show"])
        let record = try overTCP.records().first
        #expect(record?["udp_port"] as? Int == Int(daemon.port), "\(overTCP)")
        #expect(record?["max_tunnels"] as? Int == 3, "\(overTCP)")
        #expect(daemon.stop() == 0)
    }
}

import Foundation
import TestSupport
import Testing

@testable import L2TPManagement

/// ippoold and ippoolconfig end to end, as processes on a temporary socket.
@Suite(.serialized) struct PoolDaemonTests {
    @Test func createAllocateUntilExhaustedFreeAndListAsJSON() throws {
        let daemon = try RunningPoolDaemon()
        let created = try daemon.config(["pool", "create", "pool_name=t", "first_addr=10.7.0.1", "num_addrs=5"])
        #expect(created.status == 0 && created.out == "Created pool t\n", "\(created)")
        var seen: Set<String> = []
        for _ in 0..<5 {
            let result = try daemon.config(["pool", "allocate", "pool_name=t"])
            #expect(result.status == 0, "\(result)")
            #expect(seen.insert(result.out.trimmingCharacters(in: .whitespacesAndNewlines)).inserted)
        }
        #expect(seen == ["10.7.0.1", "10.7.0.2", "10.7.0.3", "10.7.0.4", "10.7.0.5"])
        let exhausted = try daemon.config(["pool", "allocate", "pool_name=t"])
        #expect(exhausted.status == 1)
        #expect(
            exhausted.err
                == "pool allocate: pool 't' has no address to give: all 5 addresses are allocated or reserved\n")

        let freed = try daemon.config(["pool", "free", "pool_name=t", "addr=10.7.0.3"])
        #expect(freed.status == 0 && freed.out == "Freed 10.7.0.3 to pool t\n")
        let twice = try daemon.config(["pool", "free", "pool_name=t", "addr=10.7.0.3"])
        #expect(twice.status == 1 && twice.err.contains("10.7.0.3 of pool 't' is not allocated (it is free)"))
        let unknown = try daemon.config(["pool", "free", "pool_name=t", "addr=192.0.2.1"])
        #expect(unknown.status == 1 && unknown.err.contains("192.0.2.1 is not an address of pool 't'"))
        #expect(try daemon.config(["pool", "allocate", "pool_name=t"]).out == "10.7.0.3\n")

        let json = try daemon.config(["-j", "pool", "list"])
        #expect(json.status == 0)
        #expect(
            json.out
                == #"{"command":"pool list","status":0,"records":[{"kind":"pool","pool_name":"t","total":5,"available":0,"allocated":5,"reserved":0,"max_addrs":0,"drain":false,"exhausted_count":1}]}"#
                + "\n")
        let failedJSON = try daemon.config(["-j", "pool", "allocate", "pool_name=nope"])
        #expect(failedJSON.status == 1)
        #expect(failedJSON.out.contains(#""status":-2,"error":"pool allocate: pool_name: no pool named 'nope'""#))
        #expect(daemon.logText.contains("allocated 10.7.0.1 from pool t"))
    }

    @Test func badInputGivesMessagesAndExitCodesLikeL2tpconfig() throws {
        let daemon = try RunningPoolDaemon()
        let keyword = try daemon.config(["pool", "frobnicate"])
        #expect(keyword.status == 1 && keyword.err.contains("unknown keyword 'frobnicate' after 'pool'"))
        let value = try daemon.config(["pool", "create", "pool_name=x", "first_addr=10.0.0.999", "num_addrs=2"])
        #expect(value.status == 1 && value.err.contains("first_addr: '10.0.0.999' is not a dotted-quad IPv4 address"))
        let option = try daemon.config(["-Z"])
        #expect(option.status == 2 && option.err.contains("unknown option '-Z'"))
        let exists = try daemon.config(["-f", "-"], stdin: "pool create pool_name=a\npool create pool_name=a\n")
        #expect(
            exists.status == 1 && exists.err == "<stdin>:2: pool create: pool_name: a pool named 'a' already exists\n")
        // A script with a bad line runs nothing.
        let script = try daemon.config(
            ["-f", "-"], stdin: "pool create pool_name=b\npool create pool_nam=b colour=red\n")
        #expect(script.status == 1 && script.err.hasPrefix("<stdin>:2: colour: not a parameter of 'pool create'"))
        #expect(!(try daemon.config(["pool", "list"]).out.contains("b ")))
    }

    @Test func notRunningIsOneClearLineAndExitThree() throws {
        let missing = "/nonexistent-ippool/ippoold.sock"
        let result = PoolProcesses.run(try PoolProcesses.executable("ippoolconfig"), ["-S", missing, "pool", "list"])
        #expect(result.status == 3)
        #expect(result.err == "cannot reach ippoold at \(missing): connect: No such file or directory\n")
        // A typo is reported without a daemon, as a command error.
        let typo = PoolProcesses.run(try PoolProcesses.executable("ippoolconfig"), ["-S", missing, "pool", "lisst"])
        #expect(typo.status == 1)
    }

    @Test func configFileCreatesPoolsAndSavedConfigReadsBack() throws {
        let daemon = try RunningPoolDaemon(
            config: """
                # the quick start's example
                pool create pool_name=default first_addr=10.5.0.1 num_addrs=100
                pool address add pool_name=default first_addr=10.6.0.0 netmask=255.255.255.252
                pool address reserve pool_name=default first_addr=10.5.0.50 num_addrs=2
                """)
        let show = try daemon.config(["pool", "show", "pool_name=default"])
        #expect(show.out.contains("total: 102") && show.out.contains("reserved: 2"), "\(show)")
        let saved = try daemon.config(["config", "save"])
        #expect(saved.status == 0)
        let second = try RunningPoolDaemon(config: saved.out)
        #expect(try second.config(["config", "save"]).out == saved.out)
        #expect(try second.config(["pool", "list"]).out.contains("default          102     100        0          2"))
    }

    @Test func badConfigFileRefusesToStartNamingFileAndLine() throws {
        let directory = try PoolProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/bad.conf"
        try "pool create pool_name=a first_addr=10.0.0.1 num_addrs=4\n\npool create pool_name=b netmask=/24\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = PoolProcesses.run(
            try PoolProcesses.executable("ippoold"), ["-f", "-T", "-S", directory + "/s.sock", "-c", file])
        #expect(result.status == 1)
        #expect(result.err.contains("\(file):3: first_addr: give first_addr with exactly one of num_addrs or netmask"))
        #expect(result.err.contains("not starting"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/s.sock"))
        let options = PoolProcesses.run(try PoolProcesses.executable("ippoold"), ["-L", "nowhere"])
        #expect(options.status == 2 && options.err.contains("-L: unknown facility 'nowhere'"))
    }

    @Test func socketIsPrivateAndSighupReloadsKeepingAllocations() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=p first_addr=10.8.0.1 num_addrs=2\n")
        var info = stat()
        #expect(stat(daemon.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(try daemon.config(["pool", "allocate", "pool_name=p"]).out == "10.8.0.1\n")
        try "pool create pool_name=p first_addr=10.8.0.1 num_addrs=4\npool create pool_name=q\n"
            .write(toFile: daemon.directory + "/ippoold.conf", atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        var list = ""
        for _ in 0..<100 {
            list = try daemon.config(["pool", "list"]).out
            if list.contains("q ") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(list.contains("p                4       3          1"), "\(list)")
        #expect(try daemon.config(["pool", "allocate", "pool_name=p"]).out == "10.8.0.2\n")
    }

    /// rpcbind is a system service (RPCBindService in TestSupport).
    @Test func rpcinfoListsProgram300775() throws {
        guard RPCBindService.proceed(RPCBindService.ensureRunning(), test: "rpcinfo test") else { return }
        let daemon = try RunningPoolDaemon(tcp: true)
        var listing = PoolProcesses.Result(status: -1, out: "", err: "")
        for _ in 0..<50 {
            listing = PoolProcesses.run("/usr/sbin/rpcinfo", ["-p", "127.0.0.1"])
            if listing.out.contains("300775") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(
            listing.out.split(separator: "\n").contains { $0.contains("300775") && $0.contains("tcp") }, "\(listing)")
        let ping = PoolProcesses.run("/usr/sbin/rpcinfo", ["-T", "tcp", "127.0.0.1", "300775", "1"])
        #expect(ping.out.contains("program 300775 version 1 ready and waiting"), "\(ping)")
        // ippoolconfig -R finds the port through rpcbind.
        let remote = PoolProcesses.run(
            try PoolProcesses.executable("ippoolconfig"), ["-R", "127.0.0.1", "system", "show"])
        #expect(remote.status == 0 && remote.out.contains("ippoold version"), "\(remote)")
        daemon.stop()
        let after = PoolProcesses.run("/usr/sbin/rpcinfo", ["-p", "127.0.0.1"])
        #expect(!after.out.contains("300775"), "registration left behind: \(after.out)")
    }
}

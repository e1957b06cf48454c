import Foundation
import TestSupport
import Testing

@testable import L2TPDaemon

@Suite(.serialized) struct LeftoverPPPDTests {
    static let ours = "net:[4026531833]"
    static let pppdArguments = [
        "/usr/sbin/pppd", "plugin", "pppol2tp.so", "plugin", "openl2tp.so", "pppol2tp", "3",
        "pppol2tp_tunnel_id", "7", "pppol2tp_session_id", "9", "nodetach",
    ]

    static func process(
        pid: Int32 = 100, parent: Int32 = 1, name: String = "pppd", arguments: [String] = pppdArguments,
        namespace: String = ours
    ) -> ProcessSnapshot {
        ProcessSnapshot(pid: pid, parentPID: parent, name: name, arguments: arguments, networkNamespace: namespace)
    }

    @Test func onlyOrphanedOpenL2TPPPPDsInOurNamespaceAreSelected() {
        let leftover = Self.process(pid: 10)
        let processes = [
            leftover,
            Self.process(pid: 11, parent: 4242),  // a live daemon's child
            Self.process(pid: 12, namespace: "net:[4026532000]"),  // another host's
            Self.process(pid: 13, arguments: ["/usr/sbin/pppd", "plugin", "pppol2tp.so", "pppol2tp", "5"]),  // xl2tpd's
            Self.process(pid: 14, arguments: ["/usr/sbin/pppd", "/dev/ttyS0", "115200"]),  // dial-up
            Self.process(pid: 15, name: "bash", arguments: ["bash", "-c", "echo plugin openl2tp.so pppol2tp 3"]),
        ]
        #expect(LeftoverPPPD.select(processes, networkNamespace: Self.ours) == [leftover])
        #expect(leftover.argument(after: "pppol2tp_tunnel_id") == "7")
        #expect(leftover.argument(after: "pppol2tp_session_id") == "9")
    }

    @Test func parentPIDIsReadAfterTheLastParenthesis() {
        let stat = Array("4321 (evil) 1 (name) S 77 4321 4321 0 -1".utf8)
        #expect(LeftoverPPPD.parentPID(fromStat: stat) == 77)
        #expect(LeftoverPPPD.parentPID(fromStat: Array("garbage".utf8)) == nil)
    }

    @Test func readsThisProcessFromProc() throws {
        let me = try #require(LeftoverPPPD.read(pid: getpid(), root: "/proc"))
        #expect(me.parentPID == getppid())
        #expect(me.networkNamespace == LeftoverPPPD.ownNetworkNamespace())
        #expect(me.networkNamespace.hasPrefix("net:["))
        #expect(!me.arguments.isEmpty)
    }

    /// A real orphaned process that looks like ppp_unix's pppd (a script
    /// named pppd, reparented to init) is found and stopped, with SIGKILL
    /// when it ignores SIGTERM.
    @Test(arguments: [false, true])
    func aRealLeftoverIsFoundAndStopped(ignoresTERM: Bool) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leftover-pppd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("pppd").path
        try ExecutableScript.write(
            "#!/bin/sh\n\(ignoresTERM ? "trap '' TERM\n" : "")while :; do sleep 0.1; done\n", to: script)
        // Started in the background of a shell that exits: reparented to init,
        // as a pppd is when its openl2tpd dies.
        let command =
            "'\(script)' \(Self.pppdArguments.dropFirst().joined(separator: " ")) </dev/null >/dev/null 2>&1 &"
        var launcher: pid_t = 0
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&launcher, "/bin/sh", nil, nil, argv, environ) == 0)
        var status: Int32 = 0
        _ = waitpid(launcher, &status, 0)

        func mine() -> [ProcessSnapshot] {
            LeftoverPPPD.select(LeftoverPPPD.readProcesses(), networkNamespace: LeftoverPPPD.ownNetworkNamespace())
                .filter { $0.arguments.contains(script) }
        }
        var found: [ProcessSnapshot] = []
        for _ in 0..<300 where found.isEmpty {
            found = mine()
            if found.isEmpty { usleep(20_000) }
        }
        let leftover = try #require(found.first, "the orphaned fake pppd is selected")
        #expect(found.count == 1)
        #expect(LeftoverPPPD.stop(found, grace: 0.5) == [leftover.pid])
        #expect(!LeftoverPPPD.isAlive(leftover.pid))
        #expect(mine().isEmpty)
    }
}

import Foundation
import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

/// The `l2tp> ` prompt of the built l2tpconfig binary, driven through tmux
/// against the in-process test daemon: TAB completion, `?` help, history.
/// Without tmux the test is skipped on a workstation and fails in CI.
@Suite(.serialized) struct InteractiveShellTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: tmux != nil || inCI, "tmux is not installed"))
    func completionHelpAndHistoryInTmux() async throws {
        let tmux = try #require(Self.tmux, "tmux is required for the interactive tests (apt-get install tmux)")
        let binary = try #require(Self.l2tpconfigBinary(), "the l2tpconfig binary was not built next to the tests")
        let test = try await TestDaemon.start()
        defer { Task { await test.stop() } }
        let history = test.directory + "/history"
        _ = test.daemon.perform(.pppProfileCreate, ManagementRequest(["profile_name": "dialup"]))
        let session = TmuxSession(tmux: tmux, socket: test.directory + "/tmux.sock")
        let command =
            "env HOME=\(test.directory) L2TP_HISTFILE=\(history) L2TP_HISTFILESIZE=50 TERM=xterm "
            + "\(binary) -S \(test.socketPath)"

        let outcome: [String] = await onOwnThread {
            var problems: [String] = []
            func expect(_ condition: Bool, _ what: String) {
                if !condition { problems.append("\(what)\n--- screen ---\n\(session.lastScreen)") }
            }
            defer { session.kill() }
            guard session.start(command) else { return ["tmux new-session failed"] }
            expect(session.waitFor { $0.hasSuffix("l2tp>") && session.cursorColumn() == 6 }, "prompt 'l2tp> ' appears")

            // TAB completes a unique keyword prefix.
            session.send(["tunnel cr", "Tab"])
            expect(
                session.waitFor { $0.hasSuffix("l2tp> tunnel create") && session.cursorColumn() == 20 },
                "TAB completes 'tunnel cr' to 'tunnel create '")

            // '?' lists the parameters of the command being typed.
            session.send(["?"])
            expect(
                session.waitFor { $0.contains("dest_ipaddr") && $0.contains("tunnel create:") },
                "'?' lists tunnel create parameters")

            // Finish the command: it reaches the daemon.
            session.send(["dest_ipaddr=192.0.2.1", "Enter"])
            expect(session.waitFor { $0.contains("Created tunnel 17767") }, "command runs")

            // TAB on an ambiguous word lists the choices.
            session.send(["s", "Tab"])
            expect(
                session.waitFor { screen in
                    screen.split(separator: "\n").last { !$0.hasPrefix("l2tp>") }
                        .map { Set($0.split(separator: " ")) == ["session", "system"] } ?? false
                }, "TAB lists session and system")
            session.send(["C-u"])

            // Up-arrow recalls the previous line from history.
            session.send(["Up"])
            expect(
                session.waitFor { $0.hasSuffix("l2tp> tunnel create dest_ipaddr=192.0.2.1") },
                "Up recalls the previous command")
            session.send(["C-u", "help tunnel list", "Enter"])
            expect(session.waitFor { $0.contains("local_only") }, "help command")
            session.send(["bogus", "Enter"])
            expect(session.waitFor { $0.contains("unknown command 'bogus'") }, "errors are shown at the prompt")
            // TAB completes a profile name the daemon has (asked over RPC).
            session.send(["ppp profile show profile_name=di", "Tab"])
            expect(
                session.waitFor { $0.hasSuffix("l2tp> ppp profile show profile_name=dialup") },
                "TAB completes the daemon's profile name")
            session.send(["C-u"])
            session.send(["quit", "Enter"])
            expect(session.waitFor(exited: true), "quit leaves l2tpconfig")

            // A new l2tpconfig loads the history file: Up shows the last command.
            guard session.start(command) else { return problems + ["second tmux new-session failed"] }
            expect(session.waitFor { $0.hasSuffix("l2tp>") }, "second prompt")
            session.send(["Up"])
            expect(session.waitFor { $0.hasSuffix("l2tp> bogus") }, "history loaded from $L2TP_HISTFILE")
            session.send(["C-u", "C-d"])
            expect(session.waitFor(exited: true), "Ctrl-D leaves l2tpconfig")
            return problems
        }
        for problem in outcome {
            Issue.record("\(problem)")
        }
        #expect(test.daemon.snapshot.tunnels.count == 1)
        // libedit's history format: a header line, blanks written as \040.
        let saved = ((try? String(contentsOfFile: history, encoding: .utf8)) ?? "").replacingOccurrences(
            of: "\\040", with: " ")
        #expect(saved.contains("tunnel create dest_ipaddr=192.0.2.1"), "history written to $L2TP_HISTFILE: \(saved)")
        #expect(!saved.contains("quit"))
        await test.stop()
    }

    /// The l2tpconfig product built next to the test bundle.
    static func l2tpconfigBinary() -> String? {
        var candidates: [String] = []
        if let runner = ProcessInfo.processInfo.arguments.first {
            var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
            if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
            candidates.append(directory.appendingPathComponent("l2tpconfig").path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/l2tpconfig").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A tmux server of its own (`-S socket`) running one window.
final class TmuxSession: @unchecked Sendable {
    let tmux: String
    let socket: String
    private(set) var lastScreen = ""

    init(tmux: String, socket: String) {
        self.tmux = tmux
        self.socket = socket
    }

    /// Runs a tmux client command (posix_spawn and waitpid: the server that
    /// `new-session` forks must not inherit a pipe we wait on).
    @discardableResult
    func run(_ arguments: [String], readOutput: Bool = false) -> (status: Int32, output: String) {
        var fds: [Int32] = [-1, -1]
        if readOutput { _ = pipe(&fds) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if readOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([tmux, "-S", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        var output = [UInt8]()
        if readOutput {
            close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while spawned == 0 {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output += buffer[..<count]
            }
            close(fds[0])
        }
        guard spawned == 0 else { return (-1, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitCode, String(decoding: output, as: UTF8.self))
    }

    func start(_ command: String) -> Bool {
        run(["-f", "/dev/null", "new-session", "-d", "-s", "cli", "-x", "160", "-y", "50", command]).status == 0
    }

    func send(_ keys: [String]) {
        for key in keys {
            // Named keys (Tab, Enter, Up, C-u) are sent as keys, text literally.
            if ["Tab", "Enter", "Up", "Down", "C-u", "C-d"].contains(key) {
                run(["send-keys", "-t", "cli", key])
            } else {
                run(["send-keys", "-t", "cli", "-l", key])
            }
        }
    }

    /// The visible screen without trailing blank lines.
    func capture() -> String? {
        let result = run(["capture-pane", "-p", "-t", "cli"], readOutput: true)
        guard result.status == 0 else { return nil }
        var lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop { $0 == " " }.reversed())
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        lastScreen = lines.joined(separator: "\n")
        return lastScreen
    }

    /// Polls the screen until `condition` holds (or, with `exited`, until the
    /// program has ended and tmux closed the window).
    func waitFor(exited: Bool = false, timeout: Double = 10, _ condition: @escaping (String) -> Bool = { _ in false })
        -> Bool
    {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let screen = capture()
            if exited ? screen == nil : (screen.map(condition) ?? false) { return true }
            usleep(50_000)
        }
        return false
    }

    /// Column of the cursor in the pane (0-based).
    func cursorColumn() -> Int? {
        Int(
            run(["display-message", "-p", "-t", "cli", "#{cursor_x}"], readOutput: true).output
                .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func kill() {
        run(["kill-server"])
    }
}

/// Runs blocking work (processes, polling) off Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

import TestSupport
import Foundation
import Synchronization

/// A shell script standing in for pppd: records its argv and its open fds
/// (`ls -l /proc/self/fd`, run by `ls`, which inherits exactly the script's
/// non-close-on-exec fds plus its own directory fd) into
/// `<directory>/s<session id>.pid|.argv|.fds` (in that order, each complete when it appears), then does `behaviour`.
struct FakePPPD {
    enum Behaviour {
        case sleep
        case ignoreTermAndSleep
        case exit(Int32)

        var shell: String {
            switch self {
            case .sleep: "exec sleep 30"
            case .ignoreTermAndSleep: "exec sleep 30"
            case .exit(let status): "exit \(status)"
            }
        }

        /// Before anything is recorded, so a test that saw the files can rely on it.
        var prologue: String {
            if case .ignoreTermAndSleep = self { return "trap '' TERM" }
            return ""
        }
    }

    let directory: URL
    let path: String

    init(_ behaviour: Behaviour) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ppp-unix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("pppd").path
        let script = """
            #!/bin/sh
            \(behaviour.prologue)
            sid=x; prev=
            for a in "$@"; do [ "$prev" = pppol2tp_session_id ] && sid=$a; prev=$a; done
            echo $$ > "\(directory.path)/s$sid.pid"
            printf '%s\\n' "$@" > "\(directory.path)/s$sid.argv.tmp"
            mv "\(directory.path)/s$sid.argv.tmp" "\(directory.path)/s$sid.argv"
            ls -l /proc/self/fd > "\(directory.path)/s$sid.fds.tmp" 2>&1
            mv "\(directory.path)/s$sid.fds.tmp" "\(directory.path)/s$sid.fds"
            \(behaviour.shell)

            """
        try ExecutableScript.write(script, to: path)
    }

    func argv(session: UInt16) -> [String]? {
        let file = directory.appendingPathComponent("s\(session).argv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// fd number -> link target, without `ls`'s own directory fd.
    func openFDs(session: UInt16) -> [Int: String]? {
        let file = directory.appendingPathComponent("s\(session).fds")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        var result: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.components(separatedBy: " -> ")
            guard parts.count == 2, let number = parts[0].split(separator: " ").last.flatMap({ Int($0) }) else {
                continue
            }
            if parts[1].hasPrefix("/proc/") && parts[1].hasSuffix("/fd") { continue }
            result[number] = parts[1]
        }
        return result
    }

    func pid(session: UInt16) -> pid_t? {
        let file = directory.appendingPathComponent("s\(session).pid")
        return (try? String(contentsOf: file, encoding: .utf8)).flatMap {
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    func started(_ session: UInt16) -> Bool { argv(session: session) != nil }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Polls `condition` every 10 ms for up to `seconds`.
/// Waits for `condition`. The deadline is generous because it only costs time
/// when a test fails: a loaded CI machine may take seconds to start a shell.
func eventually(_ seconds: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// What the supervisor asked of the daemon.
final class CloseRecorder: Sendable {
    let closes = Mutex<[(UInt16, UInt16, String)]>([])
    let logs = Mutex<[String]>([])

    func reasons(session: UInt16) -> [String] { closes.withLock { $0.filter { $0.1 == session }.map(\.2) } }
    var count: Int { closes.withLock { $0.count } }
    func logged(_ text: String) -> Bool { logs.withLock { $0.contains { $0.contains(text) } } }
}

/// A connected socket pair standing in for the PPPoL2TP socket.
func makeSessionSocket() -> (Int32, Int32) {
    var ends: [Int32] = [-1, -1]
    socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends)
    return (ends[0], ends[1])
}

func inode(_ fd: Int32) -> UInt64 {
    var status = stat()
    fstat(fd, &status)
    return UInt64(status.st_ino)
}

func isAlive(_ pid: pid_t) -> Bool {
    // Zombies count as dead: look at /proc state.
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    guard let close = text.lastIndex(of: ")") else { return false }
    let state = text[text.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// The nice value of a process (field 19 of /proc/PID/stat), nil if gone.
func niceValue(_ pid: pid_t) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return nil }
    // Fields after the name start with the state (field 3); nice is field 19.
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 16 ? Int(fields[16]) : nil
}

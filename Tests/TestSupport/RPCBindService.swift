import Foundation
import L2TPManagement
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// rpcbind is a system service (scripts/bootstrap starts it). Tests that need
/// it call `ensureRunning()`, which starts it when it is absent and we are
/// root, and returns why not otherwise; under CI=true such a test fails, on a
/// workstation it is skipped with a visible note.
///
/// rpcbind daemonizes, and the daemon keeps every descriptor it inherits. A
/// child started through Foundation's `Process` inherits the socket Process
/// watches to see the child end, so `waitUntilExit()` would wait as long as
/// rpcbind lives: the test run hung for good. It is started here with
/// posix_spawn, every descriptor above 2 closed, stdio on /dev/null.
public enum RPCBindService {
    public static func ensureRunning() -> String? {
        if RPCBindRegistration.isRPCBindRunning() { return nil }
        guard geteuid() == 0 else { return "rpcbind is not running and we are not root to start it" }
        guard let binary = ["/usr/sbin/rpcbind", "/sbin/rpcbind"].first(where: FileManager.default.isExecutableFile)
        else { return "rpcbind is not installed (scripts/bootstrap installs it)" }
        for arguments in [["-w"], []] {
            startDaemon(binary, arguments)
            for _ in 0..<30 {
                if RPCBindRegistration.isRPCBindRunning() { return nil }
                usleep(100_000)
            }
        }
        return "\(binary) did not start answering on \(RPCBindRegistration.rpcbindSocketPath) or 127.0.0.1:111"
    }

    /// Whether a test that needs rpcbind goes on, given what `ensureRunning()`
    /// answered. Without rpcbind the test fails under CI=true (CI installs and
    /// starts it) and is skipped with a visible note elsewhere. Call it on the
    /// test's own task, where an issue is attributed to the test.
    public static func proceed(_ problem: String?, test: String) -> Bool {
        guard let problem else { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("rpcbind is required in CI: \(problem)")
        } else {
            print("NOTE: skipping \(test): \(problem)")
        }
        return false
    }

    /// Starts a program that forks into the background and waits for the
    /// parent to exit.
    static func startDaemon(_ executable: String, _ arguments: [String]) {
        guard let pid = try? CleanSpawn.spawn(executable, arguments) else { return }
        CleanSpawn.wait(pid)
    }
}

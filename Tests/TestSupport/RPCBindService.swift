import Foundation
import L2TPManagement

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

    /// Starts a program that forks into the background and waits for the
    /// parent to exit. The child gets an empty signal mask and default
    /// dispositions (test-runner threads block SIGTERM, and a daemon would
    /// inherit that and ignore `kill`), stdio on /dev/null and nothing else.
    public static func startDaemon(_ executable: String, _ arguments: [String]) {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0)
        }
        // closefrom is not in Swift's Glibc module: close what is open now.
        // A descriptor closed meanwhile is no error for posix_spawn.
        for descriptor in openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, &attributes, argv, environ) == 0 else { return }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }
    }
}

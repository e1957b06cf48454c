import CPPPUnixShim

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One started pppd, tracked by pidfd when the kernel has pidfd_open (5.3+),
/// so a signal can never reach a process that reused the pid.
struct PPPDProcess {
    let pid: pid_t
    /// -1 without pidfd support: then the pid is signalled, which is safe
    /// only while nobody but us reaps it.
    let pidfd: Int32

    /// Starts `path` with `arguments`, the session socket as fd 3 and
    /// nothing else beyond 0-2: posix_spawn closes every other fd
    /// (closefrom 4) whatever its close-on-exec flag. Signal mask and the
    /// dispositions pppd relies on are reset (the daemon may ignore SIGPIPE
    /// or block signals); pppd gets its own process group, so a terminal's
    /// ^C to a foreground daemon does not reach it; the environment is
    /// minimal. Returns a positive errno on failure.
    static func spawn(
        path: String, arguments: [String], sessionSocket: Int32, trackWithPidfd: Bool = true
    ) -> Result<PPPDProcess, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // sessionSocket is a private dup >= 10 (never 3 itself), so dup2
        // always creates a fresh fd 3 without close-on-exec.
        var rc = posix_spawn_file_actions_adddup2(&actions, sessionSocket, PPPDArguments.sessionSocketFD)
        if rc == 0 { rc = ppp_unix_spawn_closefrom(&actions, PPPDArguments.sessionSocketFD + 1) }
        guard rc == 0 else { return .failure(SpawnError(call: "posix_spawn_file_actions", errno: rc)) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM, SIGQUIT] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = [path] + arguments
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        rc = posix_spawn(&pid, path, &actions, &attributes, &cArguments, &cEnvironment)
        guard rc == 0 else { return .failure(SpawnError(call: "posix_spawn \(path)", errno: rc)) }
        return .success(PPPDProcess(pid: pid, pidfd: trackWithPidfd ? ppp_unix_pidfd_open(pid) : -1))
    }

    struct SpawnError: Error, CustomStringConvertible {
        var call: String
        var errno: Int32
        var description: String { "\(call): \(String(cString: strerror(errno)))" }
    }

    /// Sends `signal`; through the pidfd when there is one.
    func send(_ signal: Int32) {
        if pidfd >= 0 {
            _ = ppp_unix_pidfd_send_signal(pidfd, signal)
        } else {
            kill(pid, signal)
        }
    }

    /// Reaps the child if it has exited; nil while it runs.
    func reap() -> PPPDExitStatus? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return PPPDExitStatus(waitStatus: status) }
        if result < 0 && errno == ECHILD { return .unknown }
        return nil
    }
}

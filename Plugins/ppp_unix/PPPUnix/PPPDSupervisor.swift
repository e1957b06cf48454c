import CPPPUnixShim
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Starts, watches and stops pppd processes from its own thread, so the
/// plugin's hooks never block: hooks only queue commands and wake the thread
/// (an eventfd); the thread polls that and every child's pidfd, and keeps
/// the timers (establish timeout, SIGKILL escalation).
///
/// - at most `maxStarting` pppd are *starting* at once (started, PPP not up
///   yet); more requests wait in FIFO order (openl2tpd `-y N`; 0: no limit);
/// - a session's pppd must report PPP up within its establish timeout, else
///   it is stopped and the session closed;
/// - `stop` (session down) sends SIGTERM, then SIGKILL after `killGrace`;
/// - pppd exiting on its own closes the session with the exit status text;
/// - `shutdown` (daemon exit) gives every pppd at most `shutdownGrace` after
///   its SIGTERM, all at once, and returns within that plus `reapGrace`.
public final class PPPDSupervisor: @unchecked Sendable {
    public struct SessionKey: Hashable, Sendable, CustomStringConvertible {
        public var tunnelID: UInt16
        public var sessionID: UInt16
        public init(tunnelID: UInt16, sessionID: UInt16) {
            self.tunnelID = tunnelID
            self.sessionID = sessionID
        }
        public var description: String { "session \(tunnelID)/\(sessionID)" }
    }

    public struct Configuration: Sendable {
        public var pppdPath: String
        public var maxStarting: Int
        public var killGrace: Duration
        /// At daemon exit a pppd gets this long after its SIGTERM (at most
        /// `killGrace`): the daemon is leaving, and pppd whose kernel session
        /// is gone waits for an LCP Terminate-Ack that never comes (3 x 3 s
        /// with pppd's defaults), which would hold up a restart.
        public var shutdownGrace: Duration
        /// How long `shutdown` still waits for pppd it sent SIGKILL (the
        /// kernel tears down their ppp units) before leaving them to init.
        public var reapGrace: Duration = .seconds(1)
        /// Nice value a pppd gets with its SIGTERM (0: unchanged). Its exit
        /// path and the ip-down/ipv6-down scripts it forks (which inherit it)
        /// then yield to the daemon and to live sessions: with 100 sessions
        /// going down at once, 100 pppd running their scripts at normal
        /// priority starved the daemon (and a second daemon on the host) so
        /// that taking the sessions down took up to a second each.
        public var stopNice: Int32 = 19
        /// False only to test the fallback for kernels without pidfd_open.
        var trackWithPidfd = true

        public init(
            pppdPath: String = "/usr/sbin/pppd", maxStarting: Int = 0, killGrace: Duration = .seconds(5),
            shutdownGrace: Duration = .seconds(1)
        ) {
            self.pppdPath = pppdPath
            self.maxStarting = maxStarting
            self.killGrace = killGrace
            self.shutdownGrace = shutdownGrace
        }

        /// SIGTERM to SIGKILL delay, shorter once the daemon is leaving.
        func grace(shuttingDown: Bool) -> Duration { shuttingDown ? min(killGrace, shutdownGrace) : killGrace }
    }

    /// Asks the daemon to close a session (host `session_close`).
    public typealias CloseSession = @Sendable (SessionKey, String) -> Void
    public typealias Log = @Sendable (_ level: Int32, _ message: String) -> Void

    private struct Request {
        var key: SessionKey
        var arguments: [String]
        /// Our dup of the session socket (close-on-exec, >= 10), closed after spawn.
        var socket: Int32
        var establishTimeout: Duration?
    }

    private struct Child {
        var process: PPPDProcess
        var starting: Bool
        var establishDeadline: ContinuousClock.Instant?
        /// When SIGTERM was sent.
        var terminatedAt: ContinuousClock.Instant?
        /// SIGKILL follows at this instant.
        var killDeadline: ContinuousClock.Instant?
        var killed = false
        /// Set once we decided its end (session down, timeout): its exit
        /// then closes nothing more.
        var endedByUs: Bool
    }

    private struct State {
        var queue: [Request] = []
        var children: [SessionKey: Child] = [:]
        /// Dequeued, being spawned right now (outside the lock); true once
        /// `stop` asked for it meanwhile.
        var spawning: [SessionKey: Bool] = [:]
        var shuttingDown = false
        /// After `shutdown`: stop waiting for pppd at this instant.
        var abandonAt: ContinuousClock.Instant?
    }

    public let configuration: Configuration
    private let closeSession: CloseSession
    private let log: Log
    private let state = Mutex(State())
    private let wakeFD: Int32
    private var thread: pthread_t?

    public init(configuration: Configuration, closeSession: @escaping CloseSession, log: @escaping Log) {
        self.configuration = configuration
        self.closeSession = closeSession
        self.log = log
        wakeFD = ppp_unix_eventfd()
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        if pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<PPPDSupervisor>.fromOpaque(argument!).takeRetainedValue().run()
                return nil
            }, box) == 0
        {
            self.thread = thread
        } else {
            Unmanaged<PPPDSupervisor>.fromOpaque(box).release()
        }
    }

    // MARK: - Commands (any thread, never block)

    /// Queues pppd for a session. Dups `sessionSocket` (the daemon keeps its
    /// own). Returns 0 or a negative errno: -EEXIST when the session already
    /// has a pppd (or one queued), -ESHUTDOWN after `shutdown`.
    public func start(_ key: SessionKey, arguments: [String], sessionSocket: Int32, establishTimeout: Duration?)
        -> Int32
    {
        let socket = fcntl(sessionSocket, F_DUPFD_CLOEXEC, 10)
        guard socket >= 0 else { return -errno }
        let refusal = state.withLock { state -> Int32? in
            guard !state.shuttingDown else { return ESHUTDOWN }
            guard state.children[key] == nil, state.spawning[key] == nil,
                !state.queue.contains(where: { $0.key == key })
            else { return EEXIST }
            state.queue.append(
                Request(key: key, arguments: arguments, socket: socket, establishTimeout: establishTimeout))
            return nil
        }
        if let refusal {
            close(socket)
            return -refusal
        }
        wake()
        return 0
    }

    /// PPP is up (openl2tp.so told the daemon): the start is complete.
    public func pppUp(_ key: SessionKey) {
        state.withLock { state in
            state.children[key]?.starting = false
            state.children[key]?.establishDeadline = nil
        }
        wake()
    }

    /// The session went down: stop its pppd (or drop it from the queue).
    /// `daemonStopping`: it went down because the daemon exits, so the pppd
    /// gets `shutdownGrace` before SIGKILL, counted from now, while the
    /// daemon still waits for its StopCCNs to be acked.
    public func stop(_ key: SessionKey, daemonStopping: Bool = false) {
        let queued = state.withLock { state -> Request? in
            if let index = state.queue.firstIndex(where: { $0.key == key }) { return state.queue.remove(at: index) }
            if state.children[key] != nil { terminate(key, in: &state, daemonStopping: daemonStopping) }
            if state.spawning[key] != nil { state.spawning[key] = true }
            return nil
        }
        if let queued { close(queued.socket) }
        wake()
    }

    /// Number of pppd processes running (of which starting: PPP not up yet)
    /// and requests waiting (for status and tests).
    public var counts: (running: Int, starting: Int, queued: Int) {
        state.withLock { state in
            // A request being spawned already counts as a starting pppd.
            let spawning = state.spawning.count
            return (
                state.children.count + spawning, state.children.values.filter(\.starting).count + spawning,
                state.queue.count
            )
        }
    }

    /// The pid of a session's pppd, if it runs.
    public func pid(of key: SessionKey) -> pid_t? { state.withLock { $0.children[key]?.process.pid } }

    /// Stops every pppd at once and waits for all of them together: SIGTERM
    /// to those not told yet, SIGKILL to any still running `shutdownGrace`
    /// after its SIGTERM (so pppd stopped at session down a moment ago, as
    /// the daemon's StopCCNs do, have had part of it already), then up to
    /// `reapGrace` for the killed to be reaped. Ends the thread. Sessions are
    /// not closed (the daemon is leaving). Blocks at most
    /// `grace(shuttingDown: true) + reapGrace` (plus a spawn in progress),
    /// less by the time since the pppd's SIGTERMs.
    public func shutdown() {
        let (queued, running) = state.withLock { state -> ([Request], Int) in
            state.shuttingDown = true
            let grace = configuration.grace(shuttingDown: true)
            let now = ContinuousClock.now
            var lastKill = now
            for key in Array(state.children.keys) {
                terminate(key, in: &state)
                guard var child = state.children[key], !child.killed, let sent = child.terminatedAt else { continue }
                child.killDeadline = min(child.killDeadline ?? sent + grace, sent + grace)
                lastKill = max(lastKill, child.killDeadline!)
                state.children[key] = child
            }
            // Reaping gets reapGrace after the last SIGKILL is due (not after
            // now + grace: pppd SIGTERMed by the StopCCNs are due already).
            state.abandonAt = state.abandonAt ?? lastKill + configuration.reapGrace
            defer { state.queue.removeAll() }
            return (state.queue, state.children.count)
        }
        for request in queued { close(request.socket) }
        if running > 0 {
            log(
                6,
                "stopping \(running) pppd (SIGKILL to any still running \(configuration.grace(shuttingDown: true)) after its SIGTERM)"
            )
        }
        wake()
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    deinit { close(wakeFD) }

    // MARK: - The supervisor thread

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    private func terminate(_ key: SessionKey, in state: inout State, daemonStopping: Bool = false) {
        guard var child = state.children[key], child.killDeadline == nil, !child.killed else { return }
        // By pid: it is our unreaped child, so the pid cannot have been reused.
        if configuration.stopNice > 0 { _ = ppp_unix_set_nice(child.process.pid, configuration.stopNice) }
        child.process.send(SIGTERM)
        child.endedByUs = true
        child.starting = false
        child.establishDeadline = nil
        let now = ContinuousClock.now
        child.terminatedAt = now
        child.killDeadline = now + configuration.grace(shuttingDown: state.shuttingDown || daemonStopping)
        state.children[key] = child
    }

    private func run() {
        while true {
            startQueued()
            let (descriptors, timeout, done) = state.withLock { state in
                var descriptors = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
                var nearest: ContinuousClock.Instant?
                var needsPolling = false
                for child in state.children.values {
                    if child.process.pidfd >= 0 {
                        descriptors.append(pollfd(fd: child.process.pidfd, events: Int16(POLLIN), revents: 0))
                    } else {
                        needsPolling = true
                    }
                    let killDeadline = child.killed ? nil : child.killDeadline
                    for deadline in [child.establishDeadline, killDeadline].compactMap({ $0 }) {
                        nearest = min(nearest ?? deadline, deadline)
                    }
                }
                if state.shuttingDown, let abandonAt = state.abandonAt {
                    nearest = min(nearest ?? abandonAt, abandonAt)
                }
                var timeout: Int32 = -1
                if let nearest {
                    let left = nearest - .now
                    // Whole milliseconds, rounded up so we never wake early.
                    timeout = Int32(max(0, min((left / .milliseconds(1)).rounded(.up), 60_000)))
                }
                if needsPolling { timeout = timeout < 0 ? 100 : min(timeout, 100) }
                return (descriptors, timeout, state.shuttingDown && state.children.isEmpty)
            }
            if done || abandonUnreaped() { return }
            var fds = descriptors
            _ = poll(&fds, nfds_t(fds.count), timeout)
            if fds[0].revents != 0 {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
            }
            // Only children whose pidfd fired (and those without one): a burst
            // of stops (100 sessions down at once) must not cost 100 waitpid
            // calls per wake-up.
            reapExited(ready: Set(fds.dropFirst().filter { $0.revents != 0 }.map(\.fd)))
            fireTimers()
        }
    }

    /// Past `abandonAt`: logs the pppd that outlived SIGKILL and forgets
    /// them (init reaps them once the daemon has exited). True if so.
    private func abandonUnreaped() -> Bool {
        let left = state.withLock { state -> [Child]? in
            guard state.shuttingDown, let abandonAt = state.abandonAt, ContinuousClock.now >= abandonAt else {
                return nil
            }
            defer { state.children.removeAll() }
            return Array(state.children.values)
        }
        guard let left else { return false }
        for child in left {
            if !child.killed { child.process.send(SIGKILL) }
            if child.process.pidfd >= 0 { close(child.process.pidfd) }
        }
        if !left.isEmpty {
            let pids = left.map { String($0.process.pid) }.sorted().joined(separator: " ")
            log(4, "\(left.count) pppd not reaped yet as the daemon stops (SIGKILL sent, left to init): pid \(pids)")
        }
        return true
    }

    private func startQueued() {
        while true {
            let next = state.withLock { state -> Request? in
                guard !state.shuttingDown, !state.queue.isEmpty else { return nil }
                let starting = state.children.values.filter(\.starting).count
                if configuration.maxStarting > 0 && starting >= configuration.maxStarting { return nil }
                let request = state.queue.removeFirst()
                state.spawning[request.key] = false
                return request
            }
            guard let request = next else { return }
            let result = PPPDProcess.spawn(
                path: configuration.pppdPath, arguments: request.arguments, sessionSocket: request.socket,
                trackWithPidfd: configuration.trackWithPidfd)
            close(request.socket)
            switch result {
            case .success(let process):
                log(6, "\(request.key): started pppd pid \(process.pid)\(process.pidfd < 0 ? " (no pidfd)" : "")")
                state.withLock { state in
                    state.children[request.key] = Child(
                        process: process, starting: true,
                        establishDeadline: request.establishTimeout.map { .now + $0 }, killDeadline: nil,
                        endedByUs: false)
                    let stopRequested = state.spawning.removeValue(forKey: request.key) ?? false
                    if stopRequested || state.shuttingDown { terminate(request.key, in: &state) }
                }
            case .failure(let error):
                let stopRequested = state.withLock { $0.spawning.removeValue(forKey: request.key) } ?? false
                log(3, "\(request.key): cannot start pppd: \(error)")
                if !stopRequested { closeSession(request.key, "cannot start pppd: \(error)") }
            }
        }
    }

    private func reapExited(ready: Set<Int32>) {
        let ended = state.withLock { state -> [(SessionKey, PPPDExitStatus, Bool)] in
            var ended: [(SessionKey, PPPDExitStatus, Bool)] = []
            for (key, child) in state.children where child.process.pidfd < 0 || ready.contains(child.process.pidfd) {
                guard let status = child.process.reap() else { continue }
                if child.process.pidfd >= 0 { close(child.process.pidfd) }
                state.children[key] = nil
                ended.append((key, status, child.endedByUs))
            }
            return ended
        }
        for (key, status, endedByUs) in ended {
            log(endedByUs ? 6 : 5, "\(key): \(status)")
            if !endedByUs { closeSession(key, "\(status)") }
        }
    }

    private func fireTimers() {
        let now = ContinuousClock.now
        let timedOut = state.withLock { state -> [SessionKey] in
            var timedOut: [SessionKey] = []
            for (key, child) in state.children {
                if !child.killed, let deadline = child.killDeadline, deadline <= now {
                    child.process.send(SIGKILL)
                    state.children[key]?.killed = true
                    log(4, "\(key): pppd pid \(child.process.pid) ignored SIGTERM: sent SIGKILL")
                } else if let deadline = child.establishDeadline, deadline <= now {
                    timedOut.append(key)
                    terminate(key, in: &state)
                }
            }
            return timedOut
        }
        for key in timedOut {
            log(4, "\(key): PPP not up within the session establish timeout: stopping pppd")
            closeSession(key, "PPP did not come up within session_establish_timeout")
        }
    }
}

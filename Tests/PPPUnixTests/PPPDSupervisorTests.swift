import Foundation
import Testing

@testable import ppp_unix

/// Real processes (a fake pppd script), real signals and timers. Timeouts are
/// short so the suite stays fast.
@Suite(.serialized) struct PPPDSupervisorTests {
    static func supervisor(
        _ fake: FakePPPD, _ recorder: CloseRecorder, maxStarting: Int = 0, killGrace: Duration = .seconds(5),
        shutdownGrace: Duration = .seconds(2), pidfd: Bool = true
    ) -> PPPDSupervisor {
        var configuration = PPPDSupervisor.Configuration(
            pppdPath: fake.path, maxStarting: maxStarting, killGrace: killGrace, shutdownGrace: shutdownGrace)
        configuration.trackWithPidfd = pidfd
        return PPPDSupervisor(
            configuration: configuration,
            closeSession: { key, reason in recorder.closes.withLock { $0.append((key.tunnelID, key.sessionID, reason)) }
            },
            log: { _, message in recorder.logs.withLock { $0.append(message) } })
    }

    /// A fake pppd, a supervisor over it and a session socket pair, torn down
    /// together by `finish()`.
    final class SupervisorRig {
        let fake: FakePPPD
        let recorder = CloseRecorder()
        let supervisor: PPPDSupervisor
        let socket: Int32
        private let peer: Int32

        init(
            _ behaviour: FakePPPD.Behaviour, maxStarting: Int = 0, killGrace: Duration = .seconds(5),
            shutdownGrace: Duration = .seconds(2)
        ) throws {
            fake = try FakePPPD(behaviour)
            supervisor = PPPDSupervisorTests.supervisor(
                fake, recorder, maxStarting: maxStarting, killGrace: killGrace, shutdownGrace: shutdownGrace)
            (socket, peer) = makeSessionSocket()
        }

        /// In the order the tests' defers ran: sockets, supervisor, script.
        func finish() {
            close(socket)
            close(peer)
            supervisor.shutdown()
            fake.remove()
        }
    }

    static func key(_ session: UInt16) -> PPPDSupervisor.SessionKey { .init(tunnelID: 7, sessionID: session) }

    static func arguments(_ session: UInt16) -> [String] {
        PPPDArguments(session: .init(tunnelID: 7, sessionID: session, isLNS: true), parameters: ["mtu": "1400"])
            .arguments
    }

    @Test func pppdInheritsOnlyStdioAndTheSessionSocketAndStopsOnSIGTERM() throws {
        let rig = try SupervisorRig(.sleep)
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        // A stray inheritable fd in the daemon must not reach pppd.
        let stray = open("/dev/null", O_RDONLY)
        defer { close(stray) }
        #expect(stray > 2 && fcntl(stray, F_GETFD) & FD_CLOEXEC == 0)

        #expect(
            supervisor.start(Self.key(1), arguments: Self.arguments(1), sessionSocket: socket, establishTimeout: nil)
                == 0)
        #expect(eventually { fake.openFDs(session: 1) != nil })
        let fds = try #require(fake.openFDs(session: 1))
        #expect(Set(fds.keys) == [0, 1, 2, 3], "open in pppd: \(fds)")
        #expect(fds[3] == "socket:[\(inode(socket))]")
        let argv = try #require(fake.argv(session: 1))
        #expect(argv.contains(sequence: ["pppol2tp", "3"]) && argv.contains("pppol2tp_lns_mode"))

        #expect(eventually { supervisor.pid(of: Self.key(1)) != nil })
        let pid = try #require(supervisor.pid(of: Self.key(1)))
        #expect(isAlive(pid))
        supervisor.stop(Self.key(1))
        #expect(eventually { supervisor.counts.running == 0 })
        #expect(!isAlive(pid))
        #expect(recorder.count == 0, "a session we stopped is not closed again")
        #expect(!recorder.logged("SIGKILL"))
    }

    @Test func pppdIgnoringSIGTERMGetsSIGKILL() throws {
        let rig = try SupervisorRig(.ignoreTermAndSleep, killGrace: .milliseconds(300))
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        _ = supervisor.start(Self.key(2), arguments: Self.arguments(2), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { fake.started(2) && supervisor.pid(of: Self.key(2)) != nil })
        let pid = try #require(supervisor.pid(of: Self.key(2)))
        let began = Date()
        supervisor.stop(Self.key(2))
        usleep(150_000)
        #expect(isAlive(pid), "SIGTERM is ignored; SIGKILL waits for the grace period")
        #expect(eventually { supervisor.counts.running == 0 })
        #expect(Date().timeIntervalSince(began) >= 0.3)
        #expect(!isAlive(pid))
        #expect(recorder.logged("ignored SIGTERM: sent SIGKILL"))
        #expect(recorder.count == 0)
    }

    @Test(arguments: [
        (Int32(11), "pppd exited with status 11: the peer failed to authenticate"), (0, "status 0"),
        (19, "we failed to authenticate"),
    ])
    func pppdExitingClosesTheSessionWithTheReason(status: Int32, reason: String) throws {
        let rig = try SupervisorRig(.exit(status))
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        _ = supervisor.start(Self.key(3), arguments: Self.arguments(3), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { recorder.count == 1 })
        #expect(recorder.reasons(session: 3).first?.contains(reason) == true, "\(recorder.reasons(session: 3))")
        #expect(supervisor.counts.running == 0)
    }

    @Test func pppNotUpWithinTheEstablishTimeoutGivesUp() throws {
        let rig = try SupervisorRig(.sleep)
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        let began = Date()
        _ = supervisor.start(
            Self.key(4), arguments: Self.arguments(4), sessionSocket: socket, establishTimeout: .milliseconds(300))
        // Longer, so PPP up surely comes first even on a loaded machine.
        _ = supervisor.start(
            Self.key(5), arguments: Self.arguments(5), sessionSocket: socket, establishTimeout: .milliseconds(1500))
        #expect(eventually { supervisor.pid(of: Self.key(4)) != nil && supervisor.pid(of: Self.key(5)) != nil })
        supervisor.pppUp(Self.key(5))  // this one made it in time
        let pid = try #require(supervisor.pid(of: Self.key(4)))
        #expect(eventually { recorder.count == 1 })
        #expect(recorder.reasons(session: 4) == ["PPP did not come up within session_establish_timeout"])
        #expect(eventually { !isAlive(pid) })
        // Past session 5's deadline: PPP up cancelled it.
        usleep(useconds_t(max(0, 1.8 - Date().timeIntervalSince(began)) * 1_000_000))
        #expect(recorder.reasons(session: 5).isEmpty)
        #expect(supervisor.pid(of: Self.key(5)) != nil)
        #expect(supervisor.counts.running == 1)
    }

    @Test func atMostNStartingAtOnceTheRestQueued() throws {
        let rig = try SupervisorRig(.sleep, maxStarting: 2)
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        for session: UInt16 in 10...14 {
            #expect(
                supervisor.start(
                    Self.key(session), arguments: Self.arguments(session), sessionSocket: socket, establishTimeout: nil)
                    == 0)
        }
        #expect(supervisor.start(Self.key(10), arguments: [], sessionSocket: socket, establishTimeout: nil) == -EEXIST)
        #expect(eventually { fake.started(10) && fake.started(11) })
        usleep(200_000)
        #expect(!fake.started(12))
        #expect(supervisor.counts == (running: 2, starting: 2, queued: 3))

        supervisor.pppUp(Self.key(10))  // one start complete: the next may begin
        #expect(eventually { fake.started(12) })
        #expect(supervisor.counts == (running: 3, starting: 2, queued: 2))

        supervisor.stop(Self.key(13))  // leaves the queue without ever starting
        supervisor.stop(Self.key(11))  // a starting pppd stopped frees its slot
        #expect(eventually { fake.started(14) })
        #expect(eventually { supervisor.counts == (running: 3, starting: 2, queued: 0) })
        #expect(!fake.started(13))
        #expect(recorder.count == 0)
    }

    @Test func aMissingPPPDClosesTheSession() throws {
        let recorder = CloseRecorder()
        let supervisor = PPPDSupervisor(
            configuration: .init(pppdPath: "/nonexistent/pppd"),
            closeSession: { key, reason in recorder.closes.withLock { $0.append((key.tunnelID, key.sessionID, reason)) }
            },
            log: { _, _ in })
        defer { supervisor.shutdown() }
        let (socket, peer) = makeSessionSocket()
        defer {
            close(socket)
            close(peer)
        }
        _ = supervisor.start(Self.key(20), arguments: [], sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { recorder.count == 1 })
        #expect(
            recorder.reasons(session: 20).first?.hasPrefix("cannot start pppd: posix_spawn /nonexistent/pppd") == true)
    }

    @Test func shutdownStopsEveryPPPD() throws {
        let fake = try FakePPPD(.ignoreTermAndSleep)
        defer { fake.remove() }
        let recorder = CloseRecorder()
        let supervisor = Self.supervisor(fake, recorder, killGrace: .milliseconds(200))
        let (socket, peer) = makeSessionSocket()
        defer {
            close(socket)
            close(peer)
        }
        _ = supervisor.start(Self.key(30), arguments: Self.arguments(30), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { fake.started(30) && supervisor.pid(of: Self.key(30)) != nil })
        let pid = try #require(supervisor.pid(of: Self.key(30)))
        supervisor.shutdown()
        #expect(!isAlive(pid))
        #expect(recorder.count == 0)
        #expect(
            supervisor.start(Self.key(31), arguments: [], sessionSocket: socket, establishTimeout: nil) == -ESHUTDOWN)
    }

    /// A stopped pppd (and the ip-down scripts it forks) runs at the stop
    /// nice value, so a mass session down does not starve the daemon.
    @Test func aStoppedPPPDYieldsTheCPU() throws {
        let rig = try SupervisorRig(.ignoreTermAndSleep, killGrace: .seconds(30))
        defer { rig.finish() }
        let (fake, recorder, supervisor, socket) = (rig.fake, rig.recorder, rig.supervisor, rig.socket)
        _ = supervisor.start(Self.key(50), arguments: Self.arguments(50), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { fake.started(50) && supervisor.pid(of: Self.key(50)) != nil })
        let pid = try #require(supervisor.pid(of: Self.key(50)))
        #expect(niceValue(pid) == niceValue(getpid()), "a running pppd keeps the daemon's priority")
        supervisor.stop(Self.key(50))
        #expect(eventually { niceValue(pid) == 19 })
        #expect(isAlive(pid), "SIGTERM ignored: still running, now at nice 19")
    }

    /// Daemon exit with many sessions: pppd that ignore SIGTERM (a real pppd
    /// whose kernel session is gone waits ~9 s for an LCP Terminate-Ack) are
    /// stopped together within the shutdown grace, not one kill_grace each
    /// nor even one kill_grace in all. Half of them were stopped by session
    /// down just before (the daemon's StopCCNs), half only by shutdown.
    @Test func shutdownStopsManyPPPDTogetherWithinTheShutdownGrace() throws {
        let fake = try FakePPPD(.ignoreTermAndSleep)
        defer { fake.remove() }
        let recorder = CloseRecorder()
        let supervisor = Self.supervisor(fake, recorder, killGrace: .seconds(30), shutdownGrace: .milliseconds(500))
        let (socket, peer) = makeSessionSocket()
        defer {
            close(socket)
            close(peer)
        }
        let sessions: [UInt16] = Array(100..<124)
        for session in sessions {
            _ = supervisor.start(
                Self.key(session), arguments: Self.arguments(session), sessionSocket: socket, establishTimeout: nil)
        }
        #expect(eventually { sessions.allSatisfy { fake.started($0) && supervisor.pid(of: Self.key($0)) != nil } })
        let pids = sessions.compactMap { supervisor.pid(of: Self.key($0)) }
        #expect(pids.count == sessions.count)

        let stopping = ContinuousClock.now
        for session in sessions.prefix(12) { supervisor.stop(Self.key(session)) }
        #expect(ContinuousClock.now - stopping < .milliseconds(500), "session down never waits for pppd")
        usleep(200_000)
        #expect(pids.allSatisfy(isAlive), "SIGTERM is ignored; SIGKILL waits for the grace")

        let began = ContinuousClock.now
        supervisor.shutdown()
        let took = ContinuousClock.now - began
        #expect(pids.allSatisfy { !isAlive($0) }, "every pppd is gone when shutdown returns")
        #expect(took >= .milliseconds(250), "the ones stopped 200 ms ago still had the rest of their grace")
        // 24 x 0.5 s one after another would be 12 s; kill_grace is 30 s.
        #expect(took < .seconds(3), "shutdown took \(took)")
        #expect(recorder.logged("stopping 24 pppd"))
        #expect(recorder.count == 0)
    }

    /// Kernels before 5.3 have no pidfd_open: the supervisor polls waitpid
    /// and signals the pid, which is still ours as only we reap it.
    @Test func withoutPidfdExitAndStopStillWork() throws {
        let sleeping = try FakePPPD(.ignoreTermAndSleep)
        defer { sleeping.remove() }
        let recorder = CloseRecorder()
        let supervisor = Self.supervisor(sleeping, recorder, killGrace: .milliseconds(200), pidfd: false)
        defer { supervisor.shutdown() }
        let (socket, peer) = makeSessionSocket()
        defer {
            close(socket)
            close(peer)
        }
        _ = supervisor.start(Self.key(40), arguments: Self.arguments(40), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { sleeping.started(40) && supervisor.pid(of: Self.key(40)) != nil })
        #expect(recorder.logged("(no pidfd)"))
        let pid = try #require(supervisor.pid(of: Self.key(40)))
        supervisor.stop(Self.key(40))
        #expect(eventually { supervisor.counts.running == 0 })
        #expect(!isAlive(pid))
        #expect(recorder.logged("sent SIGKILL"))

        let exiting = try FakePPPD(.exit(12))
        defer { exiting.remove() }
        let second = Self.supervisor(exiting, recorder, pidfd: false)
        defer { second.shutdown() }
        _ = second.start(Self.key(41), arguments: Self.arguments(41), sessionSocket: socket, establishTimeout: nil)
        #expect(eventually { recorder.count == 1 })
        #expect(recorder.reasons(session: 41) == ["pppd exited with status 12: the link was idle"])
    }
}

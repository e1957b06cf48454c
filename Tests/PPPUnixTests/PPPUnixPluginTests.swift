import Foundation
import L2TPPluginHost
import TestSupport
import Synchronization
import Testing

@testable import ppp_unix

/// The built `libppp_unix.so` loaded by the real plugin host, as openl2tpd
/// loads it, with a fake pppd.
@Suite(.serialized) struct PPPUnixPluginTests {
    /// The built `libppp_unix.so`, found the way every plugin test finds its plugin.
    static func library() throws -> String { try BuiltPlugin.path("ppp_unix") }

    final class Daemon: Sendable {
        let actions = Mutex<[PluginAction]>([])
        let logs = Mutex<[String]>([])

        func makeHost() -> PluginHost {
            PluginHost(
                daemonVersion: "0.1-test", log: { message in self.logs.withLock { $0.append("\(message)") } },
                actions: { action in self.actions.withLock { $0.append(action) } })
        }
    }

    static let profile: [String: String] = [
        "mtu": "1500", "mru": "1500", "tunnel_mtu": "1460", "local_ipaddr": "10.9.0.1", "remote_ipaddr": "10.9.0.2",
        "auth_pap": "no", "use_sequence_numbers": "yes", "session_establish_timeout": "120",
    ]

    static func bringUp(_ host: PluginHost, tunnel: UInt16, session: UInt16, parameters: [String: String])
        -> (SessionInfo, PPPSpawnResult, Int32, Int32)
    {
        let tunnelInfo = TunnelInfo(tunnelID: tunnel, peerTunnelID: 1, peerAddress: "127.0.0.2", createdByPeer: true)
        host.tunnelCreated(tunnelInfo)
        host.tunnelUp(tunnelInfo)
        let info = SessionInfo(
            tunnelID: tunnel, sessionID: session, peerSessionID: 5, callType: .lnsIncoming, parameters: parameters)
        host.sessionCreated(info)
        host.sessionUp(info)
        let (socket, peer) = makeSessionSocket()
        return (info, host.spawnPPP(for: info, pppol2tpSocket: socket), socket, peer)
    }

    @Test func spawnsPPPDWithTheSessionsProfileAndStopsItOnSessionDown() throws {
        let fake = try FakePPPD(.sleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path),y=2,kill_grace=1")
        let (session, result, socket, peer) = Self.bringUp(host, tunnel: 40, session: 41, parameters: Self.profile)
        defer {
            close(socket)
            close(peer)
        }
        #expect(result == .spawned(plugin: "ppp_unix"))
        #expect(eventually { fake.openFDs(session: 41) != nil })

        let expected = PPPDArguments(
            session: .init(tunnelID: 40, sessionID: 41, isLNS: true), parameters: Self.profile
        ).arguments
        #expect(fake.argv(session: 41) == expected)
        #expect(expected.contains(sequence: ["mtu", "1460", "mru", "1460"]))
        #expect(expected.contains("10.9.0.1:10.9.0.2") && expected.contains("refuse-pap"))
        #expect(Set(try #require(fake.openFDs(session: 41)).keys) == [0, 1, 2, 3])

        let pid = try #require(fake.pid(session: 41))
        #expect(isAlive(pid))
        host.sessionDown(session)
        host.sessionDeleted(session)
        #expect(eventually { !isAlive(pid) }, "session down sends pppd SIGTERM")
        usleep(200_000)
        #expect(daemon.actions.withLock { $0 }.isEmpty, "a session the daemon took down is not closed again")
        host.unloadAll()
    }

    @Test func noSessionSocketStartsNoPPPD() throws {
        let fake = try FakePPPD(.sleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path)")
        let tunnelInfo = TunnelInfo(tunnelID: 50, peerTunnelID: 1, peerAddress: "127.0.0.2", createdByPeer: true)
        host.tunnelCreated(tunnelInfo)
        host.tunnelUp(tunnelInfo)
        let info = SessionInfo(
            tunnelID: 50, sessionID: 51, peerSessionID: 5, callType: .lnsIncoming, parameters: Self.profile)
        host.sessionCreated(info)
        host.sessionUp(info)
        #expect(host.spawnPPP(for: info, pppol2tpSocket: -1) == .failed(plugin: "ppp_unix", errno: EBADF))
        usleep(300_000)
        #expect(fake.pid(session: 51) == nil, "no pppd without a PPPoL2TP socket")
        #expect(daemon.logs.withLock { $0 }.contains { $0.contains("no PPPoL2TP socket") })
        host.unloadAll()
    }

    @Test func pppdExitingAsksTheDaemonToCloseTheSession() throws {
        let fake = try FakePPPD(.exit(10))
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path)")
        let (_, result, socket, peer) = Self.bringUp(host, tunnel: 50, session: 51, parameters: Self.profile)
        defer {
            close(socket)
            close(peer)
        }
        #expect(result == .spawned(plugin: "ppp_unix"))
        #expect(eventually { !daemon.actions.withLock { $0 }.isEmpty })
        #expect(
            daemon.actions.withLock { $0 } == [
                .closeSession(
                    tunnelID: 50, sessionID: 51, reason: "pppd exited with status 10: PPP negotiation failed",
                    plugin: "ppp_unix")
            ])
        host.unloadAll()
    }

    @Test func theSessionEstablishTimeoutComesFromTheDaemon() throws {
        let fake = try FakePPPD(.sleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path),kill_grace=0.2")
        var parameters = Self.profile
        parameters["session_establish_timeout"] = "1"
        let (_, _, socket, peer) = Self.bringUp(host, tunnel: 60, session: 61, parameters: parameters)
        defer {
            close(socket)
            close(peer)
        }
        #expect(eventually(20) { !daemon.actions.withLock { $0 }.isEmpty })
        #expect(
            daemon.actions.withLock { $0 } == [
                .closeSession(
                    tunnelID: 60, sessionID: 61, reason: "PPP did not come up within session_establish_timeout",
                    plugin: "ppp_unix")
            ])
        host.unloadAll()
    }

    /// openl2tpd's SIGTERM through the real host: StopCCN takes the tunnel
    /// down (the host finishes its sessions: session_down for each, every
    /// pppd SIGTERMed at once, no hook waiting), then the destructors run.
    /// pppd ignoring SIGTERM are all gone within shutdown_grace.
    @Test func daemonShutdownStopsEverySessionsPPPDTogether() throws {
        let fake = try FakePPPD(.ignoreTermAndSleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path),kill_grace=30,shutdown_grace=0.5")
        let tunnel = TunnelInfo(tunnelID: 80, peerTunnelID: 1, peerAddress: "127.0.0.2", createdByPeer: true)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        let sessions: [UInt16] = Array(1...20)
        for id in sessions {
            let session = SessionInfo(
                tunnelID: 80, sessionID: id, peerSessionID: id, callType: .lnsIncoming, parameters: Self.profile)
            host.sessionCreated(session)
            host.sessionUp(session)
            let (socket, peer) = makeSessionSocket()
            sockets += [socket, peer]
            #expect(host.spawnPPP(for: session, pppol2tpSocket: socket) == .spawned(plugin: "ppp_unix"))
        }
        #expect(eventually { sessions.allSatisfy { fake.pid(session: $0) != nil } })
        let pids = sessions.compactMap { fake.pid(session: $0) }

        let down = ContinuousClock.now
        host.tunnelDown(tunnel)
        host.tunnelDeleted(tunnel)
        #expect(ContinuousClock.now - down < .milliseconds(500), "session down hooks return at once")
        #expect(pids.allSatisfy(isAlive))
        let unload = ContinuousClock.now
        host.unloadAll()
        let took = ContinuousClock.now - unload
        #expect(pids.allSatisfy { !isAlive($0) })
        #expect(took < .seconds(3), "20 pppd ignoring SIGTERM stopped in \(took), kill_grace 30 s")
        #expect(daemon.actions.withLock { $0 }.isEmpty, "sessions the daemon closed are not closed again")
    }

    /// A session that goes down because openl2tpd exits (the daemon says
    /// so with `daemon_stopping=yes`): its pppd gets shutdown_grace from
    /// now, while the daemon still waits for its StopCCN acks, not kill_grace.
    @Test func aSessionDownAtDaemonExitGetsTheShutdownGrace() throws {
        let fake = try FakePPPD(.ignoreTermAndSleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.library(), arguments: "pppd=\(fake.path),kill_grace=30,shutdown_grace=0.3")
        let (session, result, socket, peer) = Self.bringUp(host, tunnel: 90, session: 91, parameters: Self.profile)
        defer {
            close(socket)
            close(peer)
        }
        #expect(result == .spawned(plugin: "ppp_unix"))
        #expect(eventually { fake.pid(session: 91) != nil })
        let pid = try #require(fake.pid(session: 91))
        var down = session
        down.parameters["daemon_stopping"] = "yes"
        let began = ContinuousClock.now
        host.sessionDown(down)
        host.sessionDeleted(down)
        #expect(eventually(10) { !isAlive(pid) })
        #expect(ContinuousClock.now - began < .seconds(10), "SIGKILL after shutdown_grace 0.3 s, not kill_grace 30 s")
        #expect(daemon.logs.withLock { $0.contains { $0.contains("ignored SIGTERM: sent SIGKILL") } })
        host.unloadAll()
    }

    @Test func badPluginArgumentsRefuseTheLoad() throws {
        let daemon = Daemon()
        let host = daemon.makeHost()
        #expect(throws: PluginLoadError.self) { try host.load(try Self.library(), arguments: "colour=blue") }
        #expect(daemon.logs.withLock { $0.contains { $0.contains("unknown option 'colour'") } })
    }

    /// `cc -shared -fPIC` a fixture against the SDK header.
    static func compileFixture(_ name: String, into directory: URL) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let output = directory.appendingPathComponent(name + ".so").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            ProcessInfo.processInfo.environment["CC"] ?? "cc", "-shared", "-fPIC", "-Wall", "-Werror", "-I",
            root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("plugin-sdk/include")
                .path,
            root.appendingPathComponent("Fixtures/\(name).c").path, "-o", output,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "cc failed for \(name).c")
        return output
    }

    @Test func addressesFromAnIPAllocatePluginReachPPPD() throws {
        let fake = try FakePPPD(.sleep)
        defer { fake.remove() }
        let daemon = Daemon()
        let host = daemon.makeHost()
        try host.load(try Self.compileFixture("fixed_pool", into: fake.directory))
        try host.load(try Self.library(), arguments: "pppd=\(fake.path),kill_grace=0.2")
        let tunnel = TunnelInfo(tunnelID: 70, peerTunnelID: 1, createdByPeer: true)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        let session = SessionInfo(tunnelID: 70, sessionID: 71, callType: .lnsIncoming, parameters: Self.profile)
        host.sessionCreated(session)
        host.sessionUp(session)
        guard case .allocated = host.allocateAddresses(for: session) else {
            Issue.record("the fixture did not allocate")
            return
        }
        let (socket, peer) = makeSessionSocket()
        defer {
            close(socket)
            close(peer)
        }
        #expect(host.spawnPPP(for: session, pppol2tpSocket: socket) == .spawned(plugin: "ppp_unix"))
        #expect(eventually { fake.started(71) })
        let argv = try #require(fake.argv(session: 71))
        #expect(argv.contains("10.20.0.1:10.20.0.2"))
        #expect(!argv.contains("10.9.0.1:10.9.0.2"), "the profile's addresses are replaced")
        host.unloadAll()
    }
}

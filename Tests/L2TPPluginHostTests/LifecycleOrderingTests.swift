import Foundation
import L2TPPluginHost
import Testing

/// The host delivers created -> up -> down -> deleted per tunnel and session,
/// each at most once, whatever order the daemon reports events in.
@Suite struct LifecycleOrderingTests {
    let directory: URL
    let log: URL
    let host: PluginHost
    let recorder = DaemonRecorder()

    init() throws {
        directory = try PluginTestSupport.makeTemporaryDirectory()
        log = directory.appendingPathComponent("hooks.log")
        let plugin = directory.appendingPathComponent("hook_logger.so")
        try PluginTestSupport.compile(PluginTestSupport.hookLoggerSource, to: plugin)
        host = recorder.makeHost()
        try host.load(plugin.path, arguments: "file=\(log.path),tag=A")
    }

    private var delivered: [String] {
        PluginTestSupport.lines(log).filter { $0 != "A init" }.map { String($0.dropFirst(2)) }
    }

    @Test func sessionDownWithoutUpIsNotDeliveredAndDeletedOnlyOnce() {
        let session = PluginTestSupport.session(1, 1)
        host.tunnelCreated(PluginTestSupport.tunnel(1))
        host.sessionCreated(session)
        host.sessionDown(session)  // never up: no up-less down
        host.sessionUp(session)  // after down: too late
        host.sessionDeleted(session)
        host.sessionDeleted(session)  // twice
        #expect(delivered == ["tunnel_created t=1", "session_created t=1 s=1", "session_deleted t=1 s=1"])
        // Down without up is normal (a call that failed while being set up) and
        // is not warned about; up after down and the second delete are.
        #expect(recorder.logMessages.filter { $0.plugin == nil && $0.level == .warning }.count == 2)
    }

    @Test func upBeforeCreatedAndDuplicateUpAreDropped() {
        let tunnel = PluginTestSupport.tunnel(2)
        host.tunnelUp(tunnel)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.tunnelUp(tunnel)
        host.tunnelDown(tunnel)
        host.tunnelDown(tunnel)
        host.tunnelDeleted(tunnel)
        #expect(delivered == ["tunnel_created t=2", "tunnel_up t=2", "tunnel_down t=2", "tunnel_deleted t=2"])
    }

    @Test func deletingAnUpSessionDeliversDownAndPPPDownFirst() {
        let session = PluginTestSupport.session(3, 4)
        host.tunnelCreated(PluginTestSupport.tunnel(3))
        host.tunnelUp(PluginTestSupport.tunnel(3))
        host.sessionCreated(session)
        host.pppUp(session)  // session not up yet: dropped
        host.sessionUp(session)
        host.pppDown(session)  // PPP not up: dropped
        host.pppUp(session)
        host.pppUp(session)  // once only
        host.sessionDeleted(session)
        #expect(
            delivered == [
                "tunnel_created t=3", "tunnel_up t=3", "session_created t=3 s=4", "session_up t=3 s=4",
                "ppp_up t=3 s=4 if=", "ppp_down t=3 s=4", "session_down t=3 s=4", "session_deleted t=3 s=4",
            ])
    }

    @Test func deletingATunnelFinishesItsSessionsFirst() {
        let tunnel = PluginTestSupport.tunnel(5)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(PluginTestSupport.session(5, 2))
        host.sessionCreated(PluginTestSupport.session(5, 1))
        host.sessionUp(PluginTestSupport.session(5, 1))
        host.tunnelDeleted(tunnel)
        host.sessionDeleted(PluginTestSupport.session(5, 1))  // already finished by the host
        #expect(
            delivered == [
                "tunnel_created t=5", "tunnel_up t=5", "session_created t=5 s=2", "session_created t=5 s=1",
                "session_up t=5 s=1",
                "session_down t=5 s=1", "session_deleted t=5 s=1", "session_deleted t=5 s=2",
                "tunnel_down t=5", "tunnel_deleted t=5",
            ])
    }

    @Test func sessionsOfUnknownOrDeadTunnelsAreNotDeliveredAndAreRefused() {
        let orphan = PluginTestSupport.session(9, 1)
        host.sessionCreated(orphan)
        guard case .refuse(let refusal) = host.authorizeSession(orphan) else {
            Issue.record("an unknown session must be refused")
            return
        }
        #expect(refusal.plugin == nil)
        #expect(refusal.reason.contains("never reported created"))
        let tunnel = PluginTestSupport.tunnel(9)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.tunnelDown(tunnel)
        host.sessionCreated(orphan)  // tunnel is down
        guard case .notDelivered = host.allocateAddresses(for: orphan) else {
            Issue.record("no allocation for a session that does not exist")
            return
        }
        #expect(delivered == ["tunnel_created t=9", "tunnel_up t=9", "tunnel_down t=9"])
    }

    @Test func aTunnelCreatedTwiceFinishesTheFirstLifeCycle() {
        let tunnel = PluginTestSupport.tunnel(6)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.tunnelCreated(tunnel)
        host.tunnelDeleted(tunnel)
        #expect(
            delivered == [
                "tunnel_created t=6", "tunnel_up t=6", "tunnel_down t=6", "tunnel_deleted t=6",
                "tunnel_created t=6", "tunnel_deleted t=6",
            ])
    }

    @Test func socketDisconnectUsesTheAddressesGivenAtConnect() {
        let first = SocketInfo(
            tunnelID: 7, localAddress: "127.0.0.1", localPort: 1, peerAddress: "127.0.0.2", peerPort: 2)
        var moved = first
        moved.peerPort = 3
        host.socketConnected(first)
        host.socketConnected(first)  // twice: once
        host.socketConnected(moved)  // new addresses: the old pair goes first
        host.socketDisconnected(first)
        host.socketDisconnected(first)  // not connected any more
        #expect(
            delivered == [
                "socket_connected t=7 127.0.0.1:1>127.0.0.2:2",
                "socket_disconnected t=7 127.0.0.1:1>127.0.0.2:2",
                "socket_connected t=7 127.0.0.1:1>127.0.0.2:3",
                "socket_disconnected t=7 127.0.0.1:1>127.0.0.2:3",
            ])
    }
}

/// Plugins that break the rules do not break the host.
@Suite struct PluginRobustnessTests {
    let directory: URL

    init() throws { directory = try PluginTestSupport.makeTemporaryDirectory() }

    @Test func aPluginBuiltAgainstAShorterHookTableWorksAndIsNotOverread() throws {
        let plugin = directory.appendingPathComponent("legacy.so")
        let log = directory.appendingPathComponent("legacy.log")
        try PluginTestSupport.compile(PluginTestSupport.fixture("legacy_hooks.c"), to: plugin)
        let host = DaemonRecorder().makeHost()
        try host.load(plugin.path, arguments: log.path)
        let tunnel = PluginTestSupport.tunnel(1)
        let session = PluginTestSupport.session(1, 1)
        host.tunnelCreated(tunnel)
        #expect(host.authorizeTunnel(tunnel) == .accept)
        host.tunnelUp(tunnel)
        host.sessionCreated(session)
        #expect(host.authorizeSession(session) == .accept)
        #expect(host.allocateAddresses(for: session) == .notClaimed)
        #expect(host.spawnPPP(for: session, pppol2tpSocket: 3) == .notClaimed)
        host.socketConnected(SocketInfo(tunnelID: 1, localAddress: "a", localPort: 1, peerAddress: "b", peerPort: 2))
        host.tunnelDeleted(tunnel)
        #expect(
            PluginTestSupport.lines(log) == [
                "tunnel_created", "tunnel_up", "session_created", "session_deleted", "tunnel_deleted",
            ])
    }

    @Test func staleAndMistypedHandlesAndLateCallsAreErrorsNotCrashes() throws {
        let plugin = directory.appendingPathComponent("misbehaving.so")
        let log = directory.appendingPathComponent("misbehaving.log")
        try PluginTestSupport.compile(PluginTestSupport.fixture("misbehaving.c"), to: plugin, extraFlags: ["-pthread"])
        let logURL = log
        // The daemon's handler writes into the same file: if the action were
        // delivered inside the hook, "action" would come before "close_requested".
        let recorder = DaemonRecorder { action in
            let line: String
            switch action {
            case .closeSession(let tunnelID, let sessionID, let reason, let plugin):
                line = "action close \(tunnelID)/\(sessionID) \(reason) by \(plugin)"
            case .closeTunnel(let tunnelID, let reason, let plugin):
                line = "action close \(tunnelID) \(reason) by \(plugin)"
            }
            if let handle = try? FileHandle(forWritingTo: logURL) {
                handle.seekToEndOfFile()
                handle.write(Data((line + "\n").utf8))
                try? handle.close()
            }
        }
        let host = recorder.makeHost()
        try host.load(plugin.path, arguments: log.path)
        let tunnel = PluginTestSupport.tunnel(1)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(PluginTestSupport.session(1, 2))
        host.sessionUp(PluginTestSupport.session(1, 2))
        #expect(
            PluginTestSupport.lines(log) == [
                "wrong_kind=-22",  // -EINVAL
                "unknown_field=-2",  // -ENOENT
                "string_as_number=-22",  // -EINVAL
                "stale=-116",  // -ESTALE
                "late_register=-1",  // -EPERM
                "absent_user=-61",  // -ENODATA
                "close_requested",
                "action close 1/2 idle by misbehaving",
            ])
        // From a plugin's own thread the action is not held: it reaches the
        // daemon's handler before the hook (which joins the thread) returns.
        host.sessionDown(PluginTestSupport.session(1, 2))
        #expect(
            PluginTestSupport.lines(log).suffix(2) == ["action close 1 from a thread by misbehaving", "thread_joined"])
        #expect(
            recorder.receivedActions == [
                .closeSession(tunnelID: 1, sessionID: 2, reason: "idle", plugin: "misbehaving"),
                .closeTunnel(tunnelID: 1, reason: "from a thread", plugin: "misbehaving"),
            ])
    }
}

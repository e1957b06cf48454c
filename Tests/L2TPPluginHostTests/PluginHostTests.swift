import Foundation
import L2TPPluginHost
import Testing

/// The C example plugin (plugin-sdk/examples/hook_logger.c), compiled with
/// plain `cc` and loaded for real, driven through a tunnel and session life.
@Suite struct PluginHostTests {
    let directory: URL
    let pluginPath: URL
    let log: URL

    init() throws {
        directory = try PluginTestSupport.makeTemporaryDirectory()
        pluginPath = directory.appendingPathComponent("hook_logger.so")
        log = directory.appendingPathComponent("hooks.log")
        try PluginTestSupport.compile(PluginTestSupport.hookLoggerSource, to: pluginPath)
    }

    @Test func deliversTheWholeLifeCycleInOrder() throws {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A")
        #expect(host.plugins.map(\.name) == ["hook_logger"])
        #expect(host.plugins.first?.version == "1.0")

        let tunnel = PluginTestSupport.tunnel(1)
        let session = PluginTestSupport.session(1, 10)
        let socket = SocketInfo(
            tunnelID: 1, localAddress: "127.0.0.1", localPort: 40000, peerAddress: "127.0.0.2", peerPort: 1701)
        #expect(host.tunnelCreated(tunnel) == .accept)
        host.socketConnected(socket)
        #expect(host.authorizeTunnel(tunnel) == .accept)
        host.tunnelUp(tunnel)
        host.sessionCreated(session)
        #expect(host.authorizeSession(session) == .accept)
        host.sessionUp(session)
        #expect(host.allocateAddresses(for: session) == .notClaimed)
        #expect(host.spawnPPP(for: session, pppol2tpSocket: 42) == .notClaimed)
        var withPPP = session
        withPPP.interfaceName = "ppp0"
        withPPP.pppUnit = 0
        host.pppUp(withPPP)
        host.pppDown(withPPP)
        host.sessionDown(session)
        host.sessionDeleted(session)
        host.tunnelDown(tunnel)
        host.socketDisconnected(socket)
        host.tunnelDeleted(tunnel)
        host.unloadAll()

        #expect(
            PluginTestSupport.lines(log) == [
                "A init",
                "A tunnel_created t=1",
                "A socket_connected t=1 127.0.0.1:40000>127.0.0.2:1701",
                "A tunnel_authorize t=1 host=lac1",
                "A tunnel_up t=1",
                "A session_created t=1 s=10",
                "A session_authorize t=1 s=10 calling=5551234",
                "A session_up t=1 s=10",
                "A ip_allocate t=1 s=10",
                "A ppp_spawn t=1 s=10 fd=42",
                "A ppp_up t=1 s=10 if=ppp0",
                "A ppp_down t=1 s=10",
                "A session_down t=1 s=10",
                "A session_deleted t=1 s=10",
                "A tunnel_down t=1",
                "A socket_disconnected t=1 127.0.0.1:40000>127.0.0.2:1701",
                "A tunnel_deleted t=1",
                "A unload",
            ])
    }

    @Test func twoPluginsAreCalledInLoadOrderAndUnloadedInReverse() throws {
        let host = DaemonRecorder().makeHost()
        // The same .so twice: each load is its own instance with its own state.
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A")
        try host.load(commandLineArgument: "\(pluginPath.path):file=\(log.path),tag=B")
        let tunnel = PluginTestSupport.tunnel(5)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.tunnelDeleted(tunnel)
        host.unloadAll()
        #expect(
            PluginTestSupport.lines(log) == [
                "A init", "B init",
                "A tunnel_created t=5", "B tunnel_created t=5",
                "A tunnel_up t=5", "B tunnel_up t=5",
                "A tunnel_down t=5", "B tunnel_down t=5",
                "A tunnel_deleted t=5", "B tunnel_deleted t=5",
                "B unload", "A unload",
            ])
    }

    @Test func firstRefusalWinsAndLaterPluginsAreNotAsked() throws {
        let host = DaemonRecorder().makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A,refuse_host=evil,refuse_calling=666")
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=B")

        let evil = PluginTestSupport.tunnel(2, hostName: "evil")
        host.tunnelCreated(evil)
        let decision = host.authorizeTunnel(evil)
        #expect(
            decision == .refuse(PluginRefusal(plugin: "hook_logger", reason: "peer host name is denied", resultCode: 2))
        )
        host.tunnelUp(evil)  // refused: never delivered
        host.tunnelDeleted(evil)

        let good = PluginTestSupport.tunnel(3)
        host.tunnelCreated(good)
        #expect(host.authorizeTunnel(good) == .accept)
        host.tunnelUp(good)
        let session = PluginTestSupport.session(3, 1, calling: "666")
        host.sessionCreated(session)
        let refusal = host.authorizeSession(session)
        #expect(refusal == .refuse(PluginRefusal(plugin: "hook_logger", reason: "calling number is denied")))
        host.sessionUp(session)  // refused: never delivered
        host.sessionDeleted(session)

        #expect(
            PluginTestSupport.lines(log) == [
                "A init", "B init",
                "A tunnel_created t=2", "B tunnel_created t=2",
                "A tunnel_authorize t=2 host=evil",
                "A tunnel_deleted t=2", "B tunnel_deleted t=2",
                "A tunnel_created t=3", "B tunnel_created t=3",
                "A tunnel_authorize t=3 host=lac1", "B tunnel_authorize t=3 host=lac1",
                "A tunnel_up t=3", "B tunnel_up t=3",
                "A session_created t=3 s=1", "B session_created t=3 s=1",
                "A session_authorize t=3 s=1 calling=666",
                "A session_deleted t=3 s=1", "B session_deleted t=3 s=1",
            ])
    }

    @Test func aRefusalAtCreationHidesTheTunnelFromLaterPlugins() throws {
        let host = DaemonRecorder().makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A,refuse_incoming=1")
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=B")
        let incoming = PluginTestSupport.tunnel(1)
        var outgoing = PluginTestSupport.tunnel(2)
        outgoing.createdByPeer = false
        #expect(
            host.tunnelCreated(incoming)
                == .refuse(
                    PluginRefusal(
                        plugin: "hook_logger", reason: "incoming tunnels are not accepted", resultCode: 2)))
        // Refused: authorization answers with the same refusal, up is dropped.
        #expect(!host.authorizeTunnel(incoming).isAccepted)
        host.tunnelUp(incoming)
        host.sessionCreated(PluginTestSupport.session(1, 1))
        host.tunnelDeleted(incoming)
        #expect(host.tunnelCreated(outgoing) == .accept)
        #expect(
            PluginTestSupport.lines(log) == [
                "A init", "B init",
                "A tunnel_created t=1",
                "A tunnel_deleted t=1",
                "A tunnel_created t=2", "B tunnel_created t=2",
            ])
    }

    @Test func admitRunsCreatedThenAuthorize() throws {
        let host = DaemonRecorder().makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A,refuse_incoming=1,refuse_calling=666")
        var outgoing = PluginTestSupport.tunnel(1)
        outgoing.createdByPeer = false
        #expect(host.admitTunnel(outgoing) == .accept)
        #expect(!host.admitTunnel(PluginTestSupport.tunnel(2)).isAccepted)
        #expect(host.admitSession(PluginTestSupport.session(1, 1)) == .accept)
        #expect(!host.admitSession(PluginTestSupport.session(1, 2, calling: "666")).isAccepted)
        #expect(
            PluginTestSupport.lines(log) == [
                "A init",
                "A tunnel_created t=1", "A tunnel_authorize t=1 host=lac1",
                "A tunnel_created t=2",
                "A session_created t=1 s=1", "A session_authorize t=1 s=1 calling=5551234",
                "A session_created t=1 s=2", "A session_authorize t=1 s=2 calling=666",
            ])
    }

    @Test func firstClaimWinsForAddressesAndPPPAndReleaseGoesToTheClaimer() throws {
        let host = DaemonRecorder().makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A")
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=B,ip=10.0.0.1/10.0.0.2,spawn=1")
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=C,ip=10.9.9.1/10.9.9.2,spawn=1")
        let tunnel = PluginTestSupport.tunnel(4)
        let session = PluginTestSupport.session(4, 2)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(session)
        host.sessionUp(session)
        let expected = AddressAllocation(
            plugin: "hook_logger", localAddress: PluginIPv4Address(10, 0, 0, 1),
            peerAddress: PluginIPv4Address(10, 0, 0, 2))
        #expect(host.allocateAddresses(for: session) == .allocated(expected))
        #expect(expected.localAddress.description == "10.0.0.1")
        // Asking again does not ask the plugins again.
        #expect(host.allocateAddresses(for: session) == .allocated(expected))
        #expect(host.spawnPPP(for: session, pppol2tpSocket: 7) == .spawned(plugin: "hook_logger"))
        guard case .notDelivered = host.spawnPPP(for: session, pppol2tpSocket: 7) else {
            Issue.record("a second PPP spawn must not reach the plugins")
            return
        }
        host.sessionDeleted(session)
        let lines = PluginTestSupport.lines(log).filter { !$0.hasSuffix("init") && !$0.contains("tunnel") }
        #expect(
            lines == [
                "A session_created t=4 s=2", "B session_created t=4 s=2", "C session_created t=4 s=2",
                "A session_up t=4 s=2", "B session_up t=4 s=2", "C session_up t=4 s=2",
                "A ip_allocate t=4 s=2", "B ip_allocate t=4 s=2",
                "A ppp_spawn t=4 s=2 fd=7", "B ppp_spawn t=4 s=2 fd=7",
                "A session_down t=4 s=2", "B session_down t=4 s=2", "C session_down t=4 s=2",
                "B ip_release t=4 s=2",
                "A session_deleted t=4 s=2", "B session_deleted t=4 s=2", "C session_deleted t=4 s=2",
            ])
    }

    @Test func unloadFinishesLiveObjectsBeforeDestructors() throws {
        let host = DaemonRecorder().makeHost()
        try host.load(pluginPath.path, arguments: "file=\(log.path),tag=A")
        let tunnel = PluginTestSupport.tunnel(8)
        host.socketConnected(
            SocketInfo(tunnelID: 8, localAddress: "127.0.0.1", localPort: 5, peerAddress: "127.0.0.3", peerPort: 6))
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(PluginTestSupport.session(8, 1))
        host.unloadAll()
        host.unloadAll()  // idempotent
        #expect(
            PluginTestSupport.lines(log) == [
                "A init",
                "A socket_connected t=8 127.0.0.1:5>127.0.0.3:6",
                "A tunnel_created t=8", "A tunnel_up t=8", "A session_created t=8 s=1",
                "A session_deleted t=8 s=1",
                "A tunnel_down t=8",
                "A socket_disconnected t=8 127.0.0.1:5>127.0.0.3:6",
                "A tunnel_deleted t=8",
                "A unload",
            ])
        #expect(host.plugins.isEmpty)
    }

    @Test func pluginLogLinesReachTheDaemonWithThePluginName() throws {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        #expect(throws: PluginLoadError.self) {
            try host.load(pluginPath.path, arguments: "file=\(log.path),colour=blue")
        }
        #expect(
            recorder.logMessages.contains(
                PluginLogMessage(plugin: "hook_logger", level: .error, message: "bad argument 'colour=blue'")))
    }
}

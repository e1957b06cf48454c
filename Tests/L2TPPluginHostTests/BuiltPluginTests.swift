import Foundation
import L2TPPluginHost
import Testing

/// The plugins SwiftPM builds as their own shared objects, loaded for real.
@Suite struct BuiltPluginTests {
    let directory: URL

    init() throws { directory = try PluginTestSupport.makeTemporaryDirectory() }

    @Test func theSwiftExamplePluginRecordsTheLifeCycle() throws {
        let path = try PluginTestSupport.builtLibrary("SwiftHookLogger")
        let log = directory.appendingPathComponent("swift.log")
        let host = DaemonRecorder().makeHost()
        try host.load(path, arguments: "file=\(log.path),tag=S")
        #expect(host.plugins.map(\.name) == ["swift_hook_logger"])
        let tunnel = PluginTestSupport.tunnel(11)
        let session = PluginTestSupport.session(11, 3)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(session)
        host.sessionUp(session)
        host.tunnelDeleted(tunnel)
        host.unloadAll()
        #expect(
            PluginTestSupport.lines(log) == [
                "S init", "S tunnel_created t=11", "S tunnel_up t=11", "S session_created t=11 s=3",
                "S session_up t=11 s=3", "S session_down t=11 s=3", "S session_deleted t=11 s=3",
                "S tunnel_down t=11", "S tunnel_deleted t=11",
            ])
    }

    @Test func pppNullClaimsPPPSpawnAheadOfLaterPlugins() throws {
        let pppNull = try PluginTestSupport.builtLibrary("ppp_null")
        let logger = directory.appendingPathComponent("hook_logger.so")
        let log = directory.appendingPathComponent("hooks.log")
        try PluginTestSupport.compile(PluginTestSupport.hookLoggerSource, to: logger)
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        try host.load(pppNull)
        try host.load(logger.path, arguments: "file=\(log.path),tag=L,spawn=1")
        #expect(host.plugins.map(\.name) == ["ppp_null", "hook_logger"])
        let tunnel = PluginTestSupport.tunnel(12)
        let session = PluginTestSupport.session(12, 1)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(session)
        host.sessionUp(session)
        #expect(host.spawnPPP(for: session, pppol2tpSocket: 9) == .spawned(plugin: "ppp_null"))
        #expect(!PluginTestSupport.lines(log).contains { $0.contains("ppp_spawn") })
        #expect(
            recorder.logMessages.contains(
                PluginLogMessage(plugin: "ppp_null", level: .debug, message: "session 12/1: no PPP started")))
    }

    @Test func pppNullRefusesArguments() throws {
        let host = DaemonRecorder().makeHost()
        let error = #expect(throws: PluginLoadError.self) {
            try host.load(PluginTestSupport.builtLibrary("ppp_null"), arguments: "x=1")
        }
        #expect(error?.code == .initFailed)
    }
}

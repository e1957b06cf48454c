import Foundation
import L2TPPluginHost
import Testing

/// ABI 1.1 `session_get_param`: SessionInfo.parameters reach C by name, and
/// the addresses an ip_allocate hook answered replace the profile's.
@Suite struct SessionParameterTests {
    @Test func parametersAndAllocatedAddressesReachTheSpawnHook() throws {
        let directory = try PluginTestSupport.makeTemporaryDirectory()
        let plugin = directory.appendingPathComponent("param_dump.so")
        let log = directory.appendingPathComponent("params.log")
        try PluginTestSupport.compile(PluginTestSupport.fixture("param_dump.c"), to: plugin)
        let host = DaemonRecorder().makeHost()
        try host.load(plugin.path, arguments: log.path)

        let tunnel = PluginTestSupport.tunnel(30)
        host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        let profile = ["mtu": "1400", "local_ipaddr": "192.0.2.1", "remote_ipaddr": "192.0.2.2", "auth_pap": "no"]
        for id: UInt16 in [1, 2] {
            var session = PluginTestSupport.session(30, id)
            session.parameters = profile
            host.sessionCreated(session)
            host.sessionUp(session)
            _ = host.allocateAddresses(for: session)
            #expect(host.spawnPPP(for: session, pppol2tpSocket: 99) == .spawned(plugin: "param_dump"))
        }
        let tail = " no_such_param=-2 null_name=-22 empty_name=-22"
        #expect(
            PluginTestSupport.lines(log) == [
                "host abi=1.2 has_session_get_param=1",
                "spawn mtu=\"1400\" local_ipaddr=\"10.1.0.1\" remote_ipaddr=\"10.1.0.2\" auth_pap=\"no\"" + tail,
                "spawn mtu=\"1400\" local_ipaddr=\"192.0.2.1\" remote_ipaddr=\"192.0.2.2\" auth_pap=\"no\"" + tail,
            ])
    }
}

import Foundation
import L2TPPluginHost
import Testing

/// Every field of TunnelInfo, SessionInfo and SocketInfo reaches C through
/// the accessors, with absent values reported as -ENODATA.
@Suite struct SnapshotTests {
    @Test func everyFieldIsReadableFromC() throws {
        let directory = try PluginTestSupport.makeTemporaryDirectory()
        let plugin = directory.appendingPathComponent("field_dump.so")
        let log = directory.appendingPathComponent("fields.log")
        try PluginTestSupport.compile(PluginTestSupport.fixture("field_dump.c"), to: plugin)
        let host = DaemonRecorder().makeHost()
        try host.load(plugin.path, arguments: log.path)

        let tunnel = PluginTestSupport.tunnel(21)
        host.tunnelCreated(tunnel)
        #expect(host.authorizeTunnel(tunnel) == .accept)
        var bare = TunnelInfo(tunnelID: 22)
        bare.peerAddress = "::1"
        host.tunnelCreated(bare)
        #expect(host.authorizeTunnel(bare) == .accept)
        let session = PluginTestSupport.session(21, 9)
        host.sessionCreated(session)
        #expect(host.authorizeSession(session) == .accept)
        let sparse = SessionInfo(tunnelID: 21, sessionID: 10, callType: .lacOutgoing)
        host.sessionCreated(sparse)
        #expect(host.authorizeSession(sparse) == .accept)
        host.socketConnected(
            SocketInfo(
                tunnelID: 21, localAddress: "127.0.0.1", localPort: 1701, peerAddress: "127.0.0.2", peerPort: 40001))

        let hostTableSize = 24 + 16 * 8
        #expect(
            PluginTestSupport.lines(log) == [
                "host abi=1.2 size=\(hostTableSize) daemon=\"0.1-test\" has_session_close=1 has_decide=1",
                "tunnel id=21 peer_id=121 local_port=1701 peer_port=1701 by_peer=1 local=\"127.0.0.1\" "
                    + "peer=\"127.0.0.2\" host=\"lac1\" name=\"t21\"",
                "tunnel id=22 peer_id=0 local_port=0 peer_port=0 by_peer=0 local=\"\" peer=\"::1\" host=-61 name=-61",
                "session tunnel=21 id=9 peer_id=1009 call_type=3 serial=7 auth_type=2 auth_id=3 unit=-61 "
                    + "calling=\"5551234\" called=\"100\" sub=-61 user=-61 auth_name=\"alice\" challenge=010002 "
                    + "response=0909 ifname=-61 t_local_port=1701 t_peer_port=1701 t_peer_id=121 "
                    + "t_local=\"127.0.0.1\" t_peer=\"127.0.0.2\" t_host=\"lac1\" t_name=\"t21\"",
                "session tunnel=21 id=10 peer_id=0 call_type=2 serial=-61 auth_type=-61 auth_id=-61 unit=-61 "
                    + "calling=-61 called=-61 sub=-61 user=-61 auth_name=-61 challenge=-61 response=-61 ifname=-61 "
                    + "t_local_port=1701 t_peer_port=1701 t_peer_id=121 t_local=\"127.0.0.1\" t_peer=\"127.0.0.2\" "
                    + "t_host=\"lac1\" t_name=\"t21\"",
                "socket tunnel=21 local_port=1701 peer_port=40001 local=\"127.0.0.1\" peer=\"127.0.0.2\"",
            ])
    }

    @Test func ipv4AddressesPrintAsDottedQuads() {
        #expect(PluginIPv4Address(192, 0, 2, 255).description == "192.0.2.255")
        #expect(PluginIPv4Address(rawValue: 0x0A00_0001) == PluginIPv4Address(10, 0, 0, 1))
    }
}

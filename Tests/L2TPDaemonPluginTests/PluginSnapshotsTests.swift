import L2TPConfig
import L2TPPluginHost
import Testing
@testable import L2TPDaemon

@Suite struct PluginSnapshotsTests {
    @Test func tunnelSnapshotCarriesAddressesNamesAndOrigin() {
        var settings = TunnelSettings()
        settings.tunnelName = "t1"
        var record = TunnelRecord(
            tunnelID: 7, settings: settings, peer: IPv4SocketAddress(address: 0x0A00_0002, port: 1701),
            createdLocally: false, createdAt: 0)
        record.local = IPv4SocketAddress(address: 0x0A00_0001, port: 40000)
        record.peerTunnelID = 9
        record.peerHostName = "lac"
        #expect(
            PluginSnapshots.tunnel(record)
                == TunnelInfo(
                    tunnelID: 7, peerTunnelID: 9, localAddress: "10.0.0.1", localPort: 40000, peerAddress: "10.0.0.2",
                    peerPort: 1701, peerHostName: "lac", tunnelName: "t1", createdByPeer: true))
    }

    @Test func incomingTunnelSnapshotBeforeTheDaemonHasARecord() {
        let request = TunnelRequest(
            peer: IPv4SocketAddress(address: 0x7F00_0001, port: 5000), peerHostName: "",
            peerTunnelID: 3, tunnelID: 11)
        let info = PluginSnapshots.incomingTunnel(
            request, local: IPv4SocketAddress(address: 0x7F00_0001, port: 1701),
            settings: TunnelSettings())
        #expect(info.tunnelID == 11 && info.peerTunnelID == 3 && info.createdByPeer)
        #expect(info.peerHostName == nil)  // an empty Host Name is "not sent"
        #expect(info.localAddress == "127.0.0.1" && info.localPort == 1701 && info.peerPort == 5000)
    }

    @Test func aSessionGoingDownAtDaemonExitSaysSo() {
        let info = SessionInfo(tunnelID: 1, sessionID: 2, callType: .lnsIncoming, parameters: ["mtu": "1400"])
        #expect(PluginSnapshots.goingDown(info, daemonStopping: false) == info)
        let stopping = PluginSnapshots.goingDown(info, daemonStopping: true)
        #expect(stopping.parameters == ["mtu": "1400", "daemon_stopping": "yes"])
        #expect(stopping.sessionID == 2)
    }

    @Test func callTypeFromSessionTypeElseFromTheTunnelsOrigin() {
        var settings = SessionSettings()
        #expect(PluginSnapshots.callType(settings, tunnelCreatedLocally: true) == .lacIncoming)
        #expect(PluginSnapshots.callType(settings, tunnelCreatedLocally: false) == .lnsIncoming)
        for (type, expected) in [
            (SessionType.laic, SessionInfo.CallType.lacIncoming), (.laoc, .lacOutgoing),
            (.lnic, .lnsIncoming), (.lnoc, .lnsOutgoing),
        ] {
            settings.sessionType = type
            #expect(PluginSnapshots.callType(settings, tunnelCreatedLocally: true) == expected)
        }
    }

    @Test func parametersAreTheEffectiveValuesWithTheDocumentedNames() throws {
        var model = ConfigModel()
        try model.apply(
            ParsedCommand(
                path: .profile(.ppp, .create), arguments: [.profileName: .string("dial"), .mtu: .integer(1400)]))
        var settings = SessionSettings()
        settings.pppProfileName = "dial"
        settings.userPassword = "secret"
        settings.traceFlags = .ppp
        var tunnel = TunnelSettings()
        tunnel.mtu = 1300
        let values = PluginSnapshots.parameters(
            settings, tunnel: tunnel, profiles: model.profiles, system: model.system)
        #expect(values["mtu"] == "1400")
        #expect(values["ppp_profile_name"] == "dial")
        #expect(values["tunnel_mtu"] == "1300")
        #expect(values["user_password"] == "secret")
        #expect(values["session_trace_flags"] == String(TraceFlags.ppp.rawValue))  // decimal, as ppp_unix reads it
        #expect(values["session_establish_timeout"] == "120")
        #expect(values["no_ppp"] == "no")
        #expect(!values.values.contains(""))
        #expect(values["user_name"] == nil)  // unset values are left out
    }
}

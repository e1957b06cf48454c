import L2TPConfig
import L2TPControl
import L2TPWire
import Testing
@testable import L2TPDaemon

@Suite struct ParameterMappingTests {
    func model(_ text: String) throws -> ConfigModel {
        var model = ConfigModel()
        for command in CommandParser().parse(text).commands { try model.apply(command) }
        return model
    }

    func command(_ text: String) throws -> ParsedCommand { try CommandParser().parseCommand(text) }

    @Test func tunnelDefaultsAreOpenL2TPs() throws {
        let resolver = SettingsResolver()
        let settings = try resolver.localTunnel(command("tunnel create dest_ipaddr=192.0.2.1"))
        let p = ParameterMapping.tunnelParameters(settings)
        #expect(settings.peerUDPPort == 1701)
        #expect(settings.ourUDPPort == nil)
        #expect(p.receiveWindow == 10)
        #expect(p.retryTimeout == .seconds(1))
        #expect(p.maxRetries == 5)
        #expect(p.helloTimeout == .seconds(60))
        #expect(p.establishTimeout == .seconds(120))
        #expect(p.authMode == .none)
        #expect(p.secret == nil)
        #expect(p.framingCapabilities == [.synchronous, .asynchronous])
        #expect(p.bearerCapabilities == [.digital, .analog])
        #expect(!p.hostName.isEmpty)
    }

    @Test func profileValuesReachTheControlParameters() throws {
        let resolver = SettingsResolver(
            model: try model(
                """
                system modify tunnel_establish_timeout=30
                tunnel profile create profile_name=secure auth_mode=challenge secret=s3cret hide_avps=yes \
                    host_name=gw1 rx_window_size=4 hello_timeout=0 max_retries=7 retry_timeout=2 framing_caps=sync bearer_caps=analog
                """))
        let settings = try resolver.localTunnel(command("tunnel create dest_ipaddr=192.0.2.1 profile_name=secure"))
        let p = ParameterMapping.tunnelParameters(settings)
        #expect(p.authMode == .challenge)
        #expect(p.secret == Array("s3cret".utf8))
        #expect(p.hideAVPs)
        #expect(p.hostName == "gw1")
        #expect(p.receiveWindow == 4)
        #expect(p.helloTimeout == nil)
        #expect(p.maxRetries == 7)
        #expect(p.retryTimeout == .seconds(2))
        #expect(p.establishTimeout == .seconds(30))
        #expect(p.framingCapabilities == .synchronous)
        #expect(p.bearerCapabilities == .analog)
    }

    @Test func commandArgumentsOverrideTheProfile() throws {
        let resolver = SettingsResolver(
            model: try model("tunnel profile modify profile_name=default host_name=fromprofile persist=no"))
        let settings = try resolver.localTunnel(
            command(
                "tunnel create dest_ipaddr=192.0.2.1 host_name=fromcommand persist=yes our_udp_port=1701 tunnel_name=t")
        )
        #expect(settings.hostName == "fromcommand")
        #expect(settings.persist)
        #expect(settings.ourUDPPort == 1701)
        #expect(settings.tunnelName == "t")
        #expect(settings.destination == IPv4Address(192, 0, 2, 1))
    }

    @Test func incomingTunnelUsesThePeerProfilesTunnelProfile() throws {
        let resolver = SettingsResolver(
            model: try model(
                """
                tunnel profile create profile_name=net123 hello_timeout=10
                peer profile create profile_name=net peer_ipaddr=10.1.2.0 netmask=255.255.255.0 tunnel_profile_name=net123
                """))
        let matching = try resolver.remoteTunnel(peerHostName: "x", peerAddress: IPv4Address(10, 1, 2, 3))
        #expect(matching.helloTimeout == 10)
        #expect(matching.peerProfileName == "net")
        let other = try resolver.remoteTunnel(peerHostName: "x", peerAddress: IPv4Address(10, 9, 9, 9))
        #expect(other.helloTimeout == 60)
        #expect(other.peerProfileName == "default")
    }

    @Test func sessionSettingsAndCallTypes() throws {
        let resolver = SettingsResolver(
            model: try model(
                """
                system modify session_establish_timeout=15
                session profile modify profile_name=default sequencing_required=yes connect_speed=64000:128000 bearer_type=digital
                """))
        let tunnel = try resolver.localTunnel(command("tunnel create dest_ipaddr=192.0.2.1"))
        let settings = try resolver.session(
            command("session create tunnel_id=1 user_name=bert session_name=s"), tunnel: tunnel)
        #expect(settings.userName == "bert")
        #expect(settings.sessionName == "s")
        let p = ParameterMapping.sessionParameters(settings)
        #expect(p.sequencingRequired)
        #expect(p.txConnectSpeed == 64000)
        #expect(p.rxConnectSpeed == 128000)
        #expect(p.bearerType == .digital)
        #expect(p.establishTimeout == .seconds(15))
        #expect(p.maximumBPS == 0xFFFF_FFFF)
        #expect(ParameterMapping.callType(.laic) == .lacIncoming)
        #expect(ParameterMapping.callType(.lnoc) == .lnsOutgoing)
        #expect(ParameterMapping.callType(.lnic) == .lnsIncoming)
        #expect(ParameterMapping.callType(.laoc) == .lacOutgoing)
    }

    @Test func unknownProfileIsAnError() throws {
        let resolver = SettingsResolver()
        #expect(throws: DaemonError.self) {
            try resolver.localTunnel(command("tunnel create dest_ipaddr=192.0.2.1 profile_name=nosuch"))
        }
    }

    @Test func minusDTracesDefaultProfiles() throws {
        let resolver = SettingsResolver(traceDefaultProfiles: true)
        let settings = try resolver.localTunnel(command("tunnel create dest_ipaddr=192.0.2.1"))
        #expect(settings.traceFlags == .all)
    }

    @Test func refusalBecomesAResultCodeAVPValue() {
        let code = ParameterMapping.refusal(
            Refusal(resultCode: 2, errorCode: 4, reason: "max_tunnels limit (1) reached"))
        #expect(code.result == 2)
        #expect(code.error == 4)
        #expect(code.messageText == "max_tunnels limit (1) reached")
    }
}

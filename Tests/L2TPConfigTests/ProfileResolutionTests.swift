import Testing

@testable import L2TPConfig

@Suite struct ProfileResolutionTests {
    /// peer "branch" (203.0.113.0/24) -> tunnel profile "t-branch" -> session "s-branch"; PPP via peer.
    func model() throws -> ProfileStore {
        let text = """
            ppp profile create profile_name=p-peer mtu=1400
            ppp profile create profile_name=p-tunnel mtu=1300
            ppp profile create profile_name=p-session mtu=1200
            ppp profile create profile_name=p-request mtu=1100
            session profile create profile_name=s-branch use_sequence_numbers=yes
            session profile create profile_name=s-peer reorder_timeout=50
            session profile create profile_name=s-pinned ppp_profile_name=p-session
            tunnel profile create profile_name=t-branch hello_timeout=20 session_profile_name=s-branch
            tunnel profile create profile_name=t-ppp ppp_profile_name=p-tunnel
            tunnel profile create profile_name=t-peer-ref peer_profile_name=branch
            peer profile create profile_name=branch peer_ipaddr=203.0.113.0 netmask=24 \\
            \ttunnel_profile_name=t-branch session_profile_name=s-peer ppp_profile_name=p-peer
            """
        let result = load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.model.profiles
    }

    func address(_ text: String) -> IPv4Address { IPv4Address(dotted: text)! }

    @Test func incomingTunnelFollowsPeerProfile() throws {
        let store = try model()
        let tunnel = try store.resolveIncomingTunnel(hostName: nil, address: address("203.0.113.9"))
        #expect(tunnel.peerProfile.name == "branch")
        #expect(tunnel.settings.name == "t-branch")
        #expect(tunnel.settings.helloTimeout == 20)
        // Session profile: tunnel profile's beats peer profile's.
        #expect(tunnel.sessionProfileName == "s-branch")
        // PPP profile: tunnel profile names none, so the peer profile's.
        #expect(tunnel.pppProfileName == "p-peer")
        let session = try store.resolveSession(in: tunnel)
        #expect(session.settings.name == "s-branch")
        #expect(session.settings.useSequenceNumbers)
        #expect(session.ppp.mtu == 1400)
        #expect(session.sessionType(tunnelIsLNS: true) == .lnoc)
        #expect(session.sessionType(tunnelIsLNS: false) == .laic)
    }

    @Test func unknownPeerUsesDefaults() throws {
        let tunnel = try model().resolveIncomingTunnel(hostName: nil, address: address("192.0.2.1"))
        #expect(tunnel.peerProfile.name == "default")
        #expect(tunnel.settings.name == "default")
        #expect(tunnel.sessionProfileName == "default")
        #expect(tunnel.pppProfileName == "default")
    }

    @Test func pppChainRequestThenSessionThenTunnelThenPeer() throws {
        let store = try model()
        let viaTunnel = try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=203.0.113.1 profile_name=t-ppp"))
        // Tunnel profile names p-tunnel; the peer (selected by dest address) says p-peer.
        #expect(viaTunnel.pppProfileName == "p-tunnel")
        #expect(viaTunnel.sessionProfileName == "s-peer")
        #expect(try store.resolveSession(in: viaTunnel).ppp.name == "p-tunnel")
        // The session profile's PPP profile beats the tunnel's.
        let pinned = try store.resolveSession(
            in: viaTunnel, request: parse("session create tunnel_id=1 profile_name=s-pinned"))
        #expect(pinned.ppp.name == "p-session")
        // The request beats everything.
        let requested = try store.resolveSession(
            in: viaTunnel, request: parse("session create tunnel_id=1 profile_name=s-pinned ppp_profile_name=p-request")
        )
        #expect(requested.ppp.mtu == 1100)
        #expect(requested.settings.pppProfileName == "p-request")
    }

    @Test func sessionProfileChainRequestThenTunnelThenPeer() throws {
        let store = try model()
        let tunnel = try store.resolveIncomingTunnel(hostName: nil, address: address("203.0.113.9"))
        #expect(
            try store.resolveSession(in: tunnel, request: parse("session create tunnel_id=1 profile_name=s-peer"))
                .settings.reorderTimeout == 50)
        let viaPeer = try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=203.0.113.1 profile_name=t-ppp"))
        #expect(try store.resolveSession(in: viaPeer).settings.name == "s-peer")
    }

    @Test func requestArgumentsOverrideProfiles() throws {
        let store = try model()
        let tunnel = try store.resolveLocalTunnel(
            parse("tunnel create dest_ipaddr=198.51.100.7 profile_name=t-branch hello_timeout=45 persist=yes"))
        #expect(tunnel.settings.helloTimeout == 45)
        #expect(tunnel.settings.persist)
        #expect(tunnel.settings.sessionProfileName == "s-branch")
        let session = try store.resolveSession(
            in: tunnel, request: parse("session create tunnel_id=1 use_sequence_numbers=no session_type=laoc"))
        #expect(!session.settings.useSequenceNumbers)
        #expect(session.sessionType(tunnelIsLNS: true) == .laoc)
    }

    @Test func localTunnelPeerProfileFromTunnelProfileOrAddress() throws {
        let store = try model()
        #expect(
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.1 profile_name=t-peer-ref"))
                .peerProfile.name == "branch")
        #expect(
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=203.0.113.5")).peerProfile.name == "branch")
        #expect(
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.5")).peerProfile.name == "default")
    }

    @Test func missingProfilesInRequestsAreErrors() throws {
        let store = try model()
        #expect(throws: ConfigError.self) {
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.1 profile_name=nope"))
        }
        let tunnel = try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.1"))
        do {
            _ = try store.resolveSession(in: tunnel, request: parse("session create tunnel_id=1 ppp_profile_name=nope"))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "ppp profile 'nope' does not exist (named by ppp_profile_name)")
            #expect(error.location?.column == 45)
        }
    }

    @Test func hiddenAVPsAndChallengeNeedASecret() throws {
        let store = ProfileStore()
        #expect(throws: ConfigError.self) {
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.1 hide_avps=yes"))
        }
        #expect(throws: ConfigError.self) {
            try store.resolveLocalTunnel(parse("tunnel create dest_ipaddr=192.0.2.1 auth_mode=challenge"))
        }
        let ok = try store.resolveLocalTunnel(
            parse("tunnel create dest_ipaddr=192.0.2.1 auth_mode=challenge hide_avps=yes secret=s3cret"))
        #expect(ok.settings.secret == "s3cret")
    }
}

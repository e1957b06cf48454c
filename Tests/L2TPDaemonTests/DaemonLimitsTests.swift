import L2TPConfig
import Testing
@testable import L2TPDaemon

@Suite struct DaemonLimitsTests {
    let peer = IPv4SocketAddress(address: 0x7F00_0002, port: 1701)

    func refusal<T>(_ admission: Admission<T>) -> Refusal? {
        if case .refuse(let r) = admission { return r }
        return nil
    }

    /// An SCCRQ as the engine reports it; the refusal the daemon answered with.
    func request(_ h: DaemonHarness, tunnel id: UInt16) -> Refusal? {
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "x", peerTunnelID: 5, tunnelID: id)))
        ])
        return h.engine.tunnelDecisions.last.flatMap { refusal($0.1) }
    }

    /// An ICRQ as the engine reports it; the refusal the daemon answered with.
    func request(_ h: DaemonHarness, session id: UInt16, in tunnel: UInt16) -> Refusal? {
        h.daemon.perform([
            .event(
                .sessionRequested(
                    SessionRequest(tunnelID: tunnel, peerSessionID: 9, isOutgoingCall: false, sessionID: id)))
        ])
        return h.engine.sessionDecisions.last.flatMap { refusal($0.2) }
    }

    @Test func maxTunnelsRefusesRemoteAndLocalCreates() throws {
        let h = DaemonHarness()
        try h.run("system modify max_tunnels=1\ntunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        #expect(h.daemon.tunnels.count == 1)
        let r = request(h, tunnel: 5)
        #expect(r?.resultCode == 2)
        #expect(r?.errorCode == 4)
        #expect(
            h.log.contains(
                "refused tunnel 5 from 127.0.0.2:1701 host 'x': max_tunnels limit (1) reached; StopCCN result code 2 error 4"
            ))
        #expect(throws: DaemonError.limit("tunnel create refused: max_tunnels limit (1) reached")) {
            try h.daemon.execute(CommandParser().parseCommand("tunnel create tunnel_name=b dest_ipaddr=127.0.0.1"))
        }
        #expect(h.daemon.counters.tunnelsRefused == 2)
    }

    @Test func denyRemoteTunnelCreatesIsNotAuthorized() throws {
        let h = DaemonHarness()
        try h.run("system modify deny_remote_tunnel_creates=yes")
        let r = refusal(h.daemon.admitTunnel(TunnelRequest(peer: peer, peerHostName: "x", peerTunnelID: 5)))
        #expect(r?.resultCode == 4)
        #expect(r?.reason == "deny_remote_tunnel_creates=yes")
        // Local creates are still allowed.
        try h.run("tunnel create dest_ipaddr=127.0.0.1")
        #expect(h.daemon.tunnels.count == 1)
    }

    @Test func denyLocalTunnelCreatesStopsStartup() throws {
        let h = DaemonHarness()
        #expect {
            try h.run(
                "system modify deny_local_tunnel_creates=yes\ntunnel create dest_ipaddr=127.0.0.1", file: "x.conf")
        } throws: { error in
            (error as? DaemonError)?.message == "x.conf:2:1: tunnel create refused: deny_local_tunnel_creates=yes"
        }
        #expect(h.daemon.tunnels.isEmpty)
    }

    @Test func aFileRefusedAtALaterLineSendsNothing() throws {
        let h = DaemonHarness()
        #expect {
            try h.run(
                """
                system modify max_sessions=1
                tunnel create tunnel_name=a dest_ipaddr=127.0.0.1
                session create tunnel_name=a
                session create tunnel_name=a
                """, file: "x.conf")
        } throws: { error in
            (error as? DaemonError)?.message
                == "x.conf:4:1: session create refused: max_sessions limit (1) reached (system)"
        }
        // The SCCRQ of line 2 never left: the daemon exits without having
        // opened a tunnel with anyone.
        #expect(h.io.sent.isEmpty)
        // A file that loads sends its SCCRQs.
        let ok = DaemonHarness()
        try ok.run("tunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        #expect(ok.io.sent.count == 1)
    }

    @Test func drainRefusesTunnelsAndSessions() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        h.tunnelUp(100)
        try h.run("system modify drain_tunnels=yes")
        let t = refusal(h.daemon.admitTunnel(TunnelRequest(peer: peer, peerHostName: "x", peerTunnelID: 5)))
        #expect(t?.resultCode == 2 && t?.reason == "drain_tunnels=yes")
        let s = refusal(h.daemon.admitSession(SessionRequest(tunnelID: 100, peerSessionID: 9, isOutgoingCall: false)))
        #expect(s?.resultCode == 4)
    }

    @Test func maxSessionsSystemAndPerTunnel() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify max_sessions=3
            tunnel create tunnel_name=a dest_ipaddr=127.0.0.1 max_sessions=1
            tunnel create tunnel_name=b dest_ipaddr=127.0.0.1 config_id=2
            """)
        h.tunnelUp(100)
        h.tunnelUp(101)
        try h.run("session create tunnel_name=a")
        let perTunnel = refusal(
            h.daemon.admitSession(SessionRequest(tunnelID: 100, peerSessionID: 9, isOutgoingCall: false)))
        #expect(perTunnel?.resultCode == 4)
        #expect(perTunnel?.reason == "max_sessions limit (1) of tunnel 100 reached")
        try h.run("session create tunnel_name=b\nsession create tunnel_name=b")
        let system = request(h, session: 77, in: 101)
        #expect(system?.reason == "max_sessions limit (3) reached (system)")
        #expect(h.log.contains("CDN result code 4"))
    }

    @Test func admittedSessionGetsTypeFromTheCall() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        h.tunnelUp(100)
        guard
            case .accept(let incoming) = h.daemon.admitSession(
                SessionRequest(tunnelID: 100, peerSessionID: 1, isOutgoingCall: false)),
            case .accept(let outgoing) = h.daemon.admitSession(
                SessionRequest(tunnelID: 100, peerSessionID: 2, isOutgoingCall: true))
        else { Issue.record("refused"); return }
        #expect(incoming.sessionType == .lnic)
        #expect(outgoing.sessionType == .laoc)
    }

    @Test func shuttingDownRefusesWithResultSix() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        h.daemon.beginShutdown()
        #expect(h.engine.closed == [100])
        let r = refusal(h.daemon.admitTunnel(TunnelRequest(peer: peer, peerHostName: "x", peerTunnelID: 5)))
        #expect(r?.resultCode == 6)
    }
}

import L2TPConfig
import L2TPDataPath
import NIOCore
import Testing
@testable import L2TPDaemon

@Suite struct DaemonTests {
    @Test func localTunnelGetsItsOwnUnconnectedSocketAndSendsSCCRQ() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 peer_udp_port=17999")
        let socket = try #require(h.io.attached[100])
        #expect(socket.isCloseOnExec)
        #expect(socket.localAddress.port != 0)
        #expect(h.io.sent.count == 1)
        #expect(h.io.sent.first?.1 == IPv4SocketAddress(address: 0x7F00_0001, port: 17999))
        #expect(h.io.connected.isEmpty)
        h.tunnelUp(100)
        // Connected once the peer's real address is known (RFC 2661 8.1).
        #expect(h.io.connected.first?.0 == 100)
        #expect(h.daemon.tunnels[100]?.state == .established)
    }

    @Test func sessionsCreatedBeforeTheTunnelIsUpOpenWhenItComesUp() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t user_name=bert")
        #expect(h.engine.openedSessions.isEmpty)
        h.tunnelUp(100)
        #expect(h.engine.openedSessions.count == 1)
        #expect(h.engine.openedSessions.first?.2.sessionType == .laic)
        #expect(h.engine.openedSessions.first?.2.userName == "bert")
        #expect(h.daemon.tunnels[100]?.sessions.count == 1)
    }

    @Test func persistentTunnelIsRecreatedWithItsSessions() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify tunnel_persist_pend_timeout=5 session_persist_pend_timeout=3
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes
            session create tunnel_name=t session_name=s
            """)
        h.tunnelUp(100)
        #expect(h.engine.openedSessions.count == 1)
        h.daemon.perform([
            .event(.tunnelDown(tunnelID: 100, reason: "peer unreachable", byPeer: false)),
            .event(.tunnelFreed(tunnelID: 100)),
        ])
        #expect(h.daemon.tunnels.isEmpty)
        #expect(h.log.contains("persistent tunnel t: recreating in 5s"))
        let retry = try #require(h.daemon.nextWakeup)
        #expect(retry == h.now + 5_000_000_000)
        h.now = retry - 1
        h.daemon.handleTimers()
        #expect(h.engine.opened.count == 1)
        h.now = retry
        h.daemon.handleTimers()
        #expect(h.engine.opened.count == 2)
        #expect(h.daemon.tunnels[101]?.name == "t")
        h.tunnelUp(101)
        #expect(h.engine.openedSessions.count == 2)
        #expect(h.engine.openedSessions.last?.0 == 101)
        #expect(h.daemon.counters.tunnelsRecreated == 1)
    }

    /// `session_persist_pend_timeout` holds a persistent tunnel's sessions
    /// after they went down; the recreated tunnel is up before that.
    @Test func restoredSessionsAreHeldForSessionPersistPendTimeout() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify tunnel_persist_pend_timeout=2 session_persist_pend_timeout=30
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes
            session create tunnel_name=t session_name=s
            """)
        h.tunnelUp(100)
        #expect(h.engine.openedSessions.count == 1)
        let downAt = h.now
        h.daemon.perform([
            .event(.tunnelDown(tunnelID: 100, reason: "peer unreachable", byPeer: false)),
            .event(.tunnelFreed(tunnelID: 100)),
        ])
        h.now = downAt + 2_000_000_000
        h.daemon.handleTimers()
        h.tunnelUp(101)
        // Up after 2 s, but the session is held until 30 s after it went down.
        #expect(h.engine.openedSessions.count == 1)
        #expect(h.log.contains("persistent tunnel t: restoring 1 session(s) in 28s (session_persist_pend_timeout)"))
        // A session created meanwhile opens at once and is not restored twice.
        try h.run("session create tunnel_name=t session_name=extra")
        #expect(h.engine.openedSessions.count == 2)
        #expect(h.daemon.nextWakeup == downAt + 30_000_000_000)
        h.now = downAt + 30_000_000_000 - 1
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 2)
        h.now = downAt + 30_000_000_000
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 3)
        #expect(h.engine.openedSessions.last?.0 == 101)
        #expect(h.engine.openedSessions.last?.2.sessionName == "s")
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 3)
    }

    @Test func heldSessionsAreDroppedWhenTheTunnelFailsAgain() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify tunnel_persist_pend_timeout=1 session_persist_pend_timeout=10
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes
            session create tunnel_name=t session_name=s
            """)
        h.tunnelUp(100)
        h.daemon.perform([
            .event(.tunnelDown(tunnelID: 100, reason: "x", byPeer: false)), .event(.tunnelFreed(tunnelID: 100)),
        ])
        h.now += 1_000_000_000
        h.daemon.handleTimers()
        h.tunnelUp(101)
        h.daemon.perform([
            .event(.tunnelDown(tunnelID: 101, reason: "x", byPeer: false)), .event(.tunnelFreed(tunnelID: 101)),
        ])
        h.now += 10_000_000_000
        h.daemon.handleTimers()
        // Only the tunnel retry happened; no session opened into a dead tunnel.
        #expect(h.engine.openedSessions.count == 1)
        #expect(h.engine.opened.count == 3)
    }

    /// A persistent tunnel's session that fails on its own (CDN from the
    /// peer) is retried after `session_persist_pend_timeout`.
    @Test func failedSessionOfPersistentTunnelIsRetriedAfterTheHold() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify session_persist_pend_timeout=20
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes
            session create tunnel_name=t session_name=s
            """)
        h.tunnelUp(100)
        let sid = try #require(h.engine.openedSessions.first?.1)
        h.daemon.perform([.event(.sessionDown(tunnelID: 100, sessionID: sid, reason: "CDN from peer"))])
        #expect(
            h.log.contains("persistent tunnel t: session \(sid) down, retrying in 20s (session_persist_pend_timeout)"))
        #expect(h.daemon.nextWakeup == h.now + 20_000_000_000)
        let due = h.now + 20_000_000_000
        h.now = due - 1
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 1)
        h.now = due
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 2)
        #expect(h.engine.openedSessions.last?.2.sessionName == "s")
    }

    /// `session delete` forgets the session: neither retried nor restored.
    @Test func deletedSessionOfPersistentTunnelStaysDeleted() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify tunnel_persist_pend_timeout=1 session_persist_pend_timeout=1
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes
            session create tunnel_name=t session_name=s
            """)
        h.tunnelUp(100)
        let sid = try #require(h.engine.openedSessions.first?.1)
        _ = try h.daemon.execute(CommandParser().parseCommand("session delete tunnel_name=t session_id=\(sid)"))
        #expect(h.daemon.tunnels[100]?.sessions.isEmpty == true)
        h.now += 5_000_000_000
        h.daemon.handleTimers()
        h.daemon.perform([
            .event(.tunnelDown(tunnelID: 100, reason: "x", byPeer: false)), .event(.tunnelFreed(tunnelID: 100)),
        ])
        h.now += 5_000_000_000
        h.daemon.handleTimers()
        h.tunnelUp(101)
        h.now += 5_000_000_000
        h.daemon.handleTimers()
        #expect(h.engine.openedSessions.count == 1)
    }

    @Test func deletedPersistentTunnelIsNotRecreated() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 persist=yes")
        try h.daemon.execute(CommandParser().parseCommand("tunnel delete tunnel_name=t"))
        #expect(h.daemon.tunnels.isEmpty)
        #expect(h.daemon.nextWakeup == nil)
        #expect(h.io.closedSockets == [100])
    }

    @Test func remoteTunnelIsARecordFromItsRequestAndGetsItsSocketWhenUp() throws {
        let h = DaemonHarness()
        let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)
        h.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: "lac", peerTunnelID: 3, tunnelID: 555)))
        ])
        // A record from the request on, decided at the end of the batch.
        let record = try #require(h.daemon.tunnels[555])
        #expect(!record.createdLocally)
        #expect(h.engine.tunnelDecisions.count == 1)
        guard case .accept = h.engine.tunnelDecisions.first?.1 else { Issue.record("refused"); return }
        // Half-open: it answers from the listener, no socket of its own yet.
        #expect(h.io.attached[555] == nil)
        #expect(h.daemon.halfOpenTunnels == [555])
        h.daemon.perform([.event(.tunnelUp(tunnelID: 555, peerTunnelID: 3, peer: peer, peerHostName: "lac"))])
        #expect(h.daemon.tunnels[555]?.state == .established)
        #expect(h.daemon.halfOpenTunnels.isEmpty)
        // Bound to the listener's port so the peer hears us from where it called.
        #expect(h.io.attached[555]?.localAddress.port == 47011)
    }

    @Test func configErrorsNameFileAndLine() {
        let result = Daemon.parseConfiguration(
            "system modify max_tunnels=1\nsystem modfy max_tunnels=2\ntunnel list\n", file: "/etc/x.conf")
        guard case .failure(let error) = result else { Issue.record("accepted a bad file"); return }
        #expect(error.message.contains("/etc/x.conf:2:"))
        #expect(error.message.contains("/etc/x.conf:3:1: 'tunnel list' is not allowed in a configuration file"))
    }

    @Test func reloadResetsProfilesButKeepsTunnels() throws {
        let h = DaemonHarness()
        try h.run(
            "system modify max_tunnels=7\ntunnel profile create profile_name=p hello_timeout=5\ntunnel create tunnel_name=t dest_ipaddr=127.0.0.1"
        )
        #expect(
            h.daemon.reloadConfiguration(
                "system modify max_sessions=2\ntunnel create tunnel_name=t dest_ipaddr=127.0.0.1", file: "f"))
        #expect(h.daemon.system.maxTunnels == 0)
        #expect(h.daemon.system.maxSessions == 2)
        #expect(!h.daemon.profiles.contains(.tunnel, "p"))
        #expect(h.daemon.tunnels.count == 1)
        #expect(h.engine.opened.count == 1)
    }

    @Test func badReloadKeepsTheRunningConfiguration() throws {
        let h = DaemonHarness()
        try h.run("system modify max_tunnels=7")
        #expect(
            !h.daemon.reloadConfiguration(
                "system modify max_tunnels=1\nsession profile modify profile_name=nosuch mtu=1", file: "f.conf"))
        #expect(h.daemon.system.maxTunnels == 7)
        #expect(h.log.contains("not reloaded"))
    }

    @Test func traceFlagsPerEntity() throws {
        let h = DaemonHarness()
        try h.run(
            "tunnel create tunnel_name=a dest_ipaddr=127.0.0.1 trace_flags=FSM\ntunnel create tunnel_name=b dest_ipaddr=127.0.0.1 config_id=2"
        )
        #expect(h.daemon.isTraced(.fsm, tunnel: 100, session: nil))
        #expect(!h.daemon.isTraced(.fsm, tunnel: 101, session: nil))
        h.daemon.toggleDebug()
        #expect(h.daemon.isTraced(.ppp, tunnel: 101, session: nil))
        h.daemon.toggleDebug()
        #expect(!h.daemon.isTraced(.ppp, tunnel: 101, session: nil))
    }

    @Test func statusAndStatisticsShow() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=a dest_ipaddr=127.0.0.1")
        let text = try h.daemon.execute(CommandParser().parseCommand("system show status"))
        #expect(text.contains("tunnels: 1, sessions: 0"))
        let stats = try h.daemon.execute(CommandParser().parseCommand("system show statistics"))
        #expect(stats.contains("SCCRQ"))
        let list = try h.daemon.execute(CommandParser().parseCommand("tunnel list"))
        #expect(list.contains("100"))
        let show = try h.daemon.execute(CommandParser().parseCommand("tunnel show tunnel_name=a"))
        #expect(show.contains("control channel: established, messages sent: 4"))
        #expect(show.contains("retransmissions: 1"))
        try h.daemon.execute(CommandParser().parseCommand("system modify reset_statistics=yes"))
        #expect(h.engine.resets == 1)
    }
}

@Suite struct DaemonDataPathTests {
    @Test func dataPathFollowsTunnelAndSessionLifecycle() throws {
        let h = DaemonHarness()
        let plane = NullDataPlane()
        h.daemon.dataPath = DataPlaneSessionDataPath(plane, name: "null")
        try h.run(
            "tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 use_udp_checksums=no\nsession create tunnel_name=t")
        h.tunnelUp(100, peerTunnel: 7)
        #expect(plane.tunnelIDs == [100])
        guard case .tunnelUp(let binding) = plane.calls.first else { Issue.record("no tunnelUp"); return }
        #expect(binding.peerTunnelID == 7)
        #expect(binding.udpSocket == h.io.attached[100]?.fd)
        #expect(binding.udpChecksums == false)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        let session = try #require(plane.session(localTunnelID: 100, localSessionID: 1000))
        #expect(session.peerSessionID == 9 && session.peerTunnelID == 7 && !session.lnsMode)
        h.daemon.perform([.event(.sessionDown(tunnelID: 100, sessionID: 1000, reason: "x"))])
        #expect(plane.session(localTunnelID: 100, localSessionID: 1000) == nil)
        h.daemon.perform([.event(.tunnelDown(tunnelID: 100, reason: "x", byPeer: true))])
        #expect(plane.tunnelIDs.isEmpty)
    }

    /// `session show` over RPC carries the kernel's data counters.
    @Test func sessionRecordCarriesDataCounters() throws {
        let h = DaemonHarness()
        h.daemon.dataPath = DataPlaneSessionDataPath(NullDataPlane(), name: "kernel")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100, peerTunnel: 7)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        let session = try #require(h.daemon.tunnels[100]?.sessions[1000])
        // `session show` (detailed) asks the data plane; `session list` does not.
        let names = h.daemon.sessionRecord(session, detailed: true).fields.map(\.name)
        #expect(names.contains("rx_packets") && names.contains("tx_bytes") && names.contains("rx_errors"))
        #expect(!h.daemon.sessionRecord(session).fields.map(\.name).contains("rx_packets"))
    }

    /// RFC 2661 4.4.6: the peer's Sequencing Required AVP turns sequencing on
    /// for the kernel session (and so for pppd), though our profile is off.
    @Test func peerSequencingRequiredReachesTheKernelSession() throws {
        let h = DaemonHarness()
        let plane = NullDataPlane()
        h.daemon.dataPath = DataPlaneSessionDataPath(plane, name: "null")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100, peerTunnel: 7)
        h.daemon.perform([
            .event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9, sequencingRequired: true))
        ])
        let session = try #require(plane.session(localTunnelID: 100, localSessionID: 1000))
        #expect(session.sendSequenceNumbers && session.requireSequenceNumbers)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1001, peerSessionID: 10))])
        let plain = try #require(plane.session(localTunnelID: 100, localSessionID: 1001))
        #expect(!plain.sendSequenceNumbers && !plain.requireSequenceNumbers)
    }

    @Test func protocolTraceOnlyForTheTracedTunnel() throws {
        let h = DaemonHarness()
        try h.run(
            "tunnel create tunnel_name=a dest_ipaddr=127.0.0.1 trace_flags=PROTOCOL\ntunnel create tunnel_name=b dest_ipaddr=127.0.0.1 config_id=2"
        )
        // A ZLB (header only) addressed to each of our tunnels.
        for tunnel: UInt16 in [100, 101] {
            var zlb = ByteBuffer()
            zlb.writeInteger(UInt16(0xC802)); zlb.writeInteger(UInt16(12)); zlb.writeInteger(tunnel)
            zlb.writeInteger(UInt16(0)); zlb.writeInteger(UInt16(0)); zlb.writeInteger(UInt16(0))
            h.daemon.receive(zlb, from: IPv4SocketAddress(address: 0x7F00_0001, port: 1701), onTunnel: tunnel)
        }
        #expect(
            h.log.lines.filter { $0.contains("[PROTOCOL] tunnel 100") && $0.contains("RX from 127.0.0.1:1701: ZLB") }
                .count == 1)
        #expect(!h.log.lines.contains { $0.contains("[PROTOCOL] tunnel 101") })
    }
}

@Suite struct ConfigSaveTests {
    @Test func saveWritesChangesThenLocalTunnelsAndSessionsAndRestores() throws {
        let h = DaemonHarness()
        try h.run(
            """
            system modify max_tunnels=9
            tunnel profile create profile_name=p hello_timeout=5
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 profile_name=p persist=yes
            session create tunnel_name=t session_name=s user_name=bert
            """)
        let text = try h.daemon.execute(CommandParser().parseCommand("config save"))
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(lines.first { $0.hasPrefix("system modify") }?.contains("max_tunnels=9") == true)
        let tunnelLine = try #require(lines.firstIndex { $0.hasPrefix("tunnel create") })
        let sessionLine = try #require(lines.firstIndex { $0.hasPrefix("session create") })
        let profileLine = try #require(lines.firstIndex { $0.hasPrefix("tunnel profile create") })
        #expect(profileLine < tunnelLine && tunnelLine < sessionLine)
        // What was saved reads back into an equivalent configuration.
        let other = DaemonHarness()
        try other.run(text)
        #expect(other.daemon.system.maxTunnels == 9)
        #expect(other.daemon.tunnels.values.first?.name == "t")
        #expect(other.daemon.tunnels.values.first?.settings.helloTimeout == 5)
    }
}

@Suite struct IdleTimeoutTests {
    @Test func tunnelWithoutSessionsClosesAfterIdleTimeout() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 idle_timeout=30")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        #expect(h.daemon.nextWakeup == nil)
        h.daemon.perform([.event(.sessionDown(tunnelID: 100, sessionID: 1000, reason: "x"))])
        let deadline = try #require(h.daemon.nextWakeup)
        #expect(deadline == h.now + 30_000_000_000)
        h.now = deadline - 1
        h.daemon.handleTimers()
        #expect(h.engine.closed.isEmpty)
        h.now = deadline
        h.daemon.handleTimers()
        #expect(h.engine.closed == [100])
        #expect(h.log.contains("no sessions for idle_timeout (30s), closing"))
    }
}

/// A data path whose counters the test moves.
final class CountingDataPath: SessionDataPath {
    let name = "kernel"
    var carriesData: Bool { true }
    var received: [UInt16: UInt64] = [:]
    func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?, settings: TunnelSettings) throws(DaemonError)
    {}
    func sessionUp(
        tunnelID: UInt16, peerTunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16, isLNS: Bool,
        settings: SessionSettings
    ) throws(DaemonError) {}
    func sessionDown(tunnelID: UInt16, sessionID: UInt16) {}
    func tunnelDown(tunnelID: UInt16) {}
    func pppSocket(tunnelID: UInt16, sessionID: UInt16) -> Int32? { nil }
    func receivedPackets(tunnelID: UInt16) -> UInt64? { received[tunnelID] }
    /// Data counters as a kernel would report them.
    var sessionCounters: [UInt32: DataPathStatistics] = [:]
    var tunnelCounters: [UInt16: DataPathStatistics] = [:]
    func sessionStatistics(tunnelID: UInt16, sessionID: UInt16) -> DataPathStatistics? {
        sessionCounters[UInt32(tunnelID) << 16 | UInt32(sessionID)]
    }
    func tunnelStatistics(tunnelID: UInt16) -> DataPathStatistics? { tunnelCounters[tunnelID] }
}

@Suite struct DataTrafficTests {
    @Test func kernelDataTrafficPostponesHello() throws {
        let h = DaemonHarness()
        let path = CountingDataPath()
        h.daemon.dataPath = path
        try h.run(
            "tunnel create tunnel_name=a dest_ipaddr=127.0.0.1\ntunnel create tunnel_name=b dest_ipaddr=127.0.0.1 config_id=2"
        )
        h.tunnelUp(100)
        h.tunnelUp(101)
        h.daemon.handleTimers()
        let poll = try #require(h.daemon.nextWakeup)
        #expect(poll == h.now + Daemon.dataPollInterval)
        path.received = [100: 5, 101: 0]
        h.now = poll
        h.daemon.handleTimers()
        #expect(h.engine.dataNoted == [100])
        // Unchanged counters: no more notes.
        h.now += Daemon.dataPollInterval
        h.daemon.handleTimers()
        #expect(h.engine.dataNoted == [100])
    }
}

@Suite struct ReloadTests {
    @Test func reloadCreatesNewTunnelsWithTheirSessionsOnly() throws {
        let h = DaemonHarness()
        try h.run("tunnel create tunnel_name=old dest_ipaddr=127.0.0.1\nsession create tunnel_name=old")
        h.tunnelUp(100)
        #expect(h.engine.openedSessions.count == 1)
        let text = """
            tunnel create tunnel_name=old dest_ipaddr=127.0.0.1
            session create tunnel_name=old
            tunnel create tunnel_name=new dest_ipaddr=127.0.0.1 config_id=2
            session create tunnel_name=new session_name=n
            """
        #expect(h.daemon.reloadConfiguration(text, file: "f"))
        #expect(h.engine.opened.count == 2)
        h.tunnelUp(101)
        // The new tunnel's session opens; the old tunnel gets no second session.
        #expect(h.engine.openedSessions.map(\.0) == [100, 101])
        #expect(h.engine.openedSessions.last?.2.sessionName == "n")
    }
}

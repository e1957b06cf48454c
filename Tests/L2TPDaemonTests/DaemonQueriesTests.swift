import L2TPConfig
import L2TPDataPath
import L2TPManagement
import Testing
@testable import L2TPDaemon

/// `session show` / `tunnel show` carry the quick start's peer configuration
/// block and the data plane's own counters (text and management records).
@Suite struct DaemonQueriesTests {
    static func establishedSession() throws -> (DaemonHarness, CountingDataPath) {
        let h = DaemonHarness()
        let path = CountingDataPath()
        h.daemon.dataPath = path
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        var call = SessionCallDetails(callSerialNumber: 1)
        call.framingType = "sync"
        call.bearerType = "analog"
        call.txConnectSpeed = 54_000_000
        call.sequencingRequired = false
        h.engine.callDetails[100 << 16 | 1000] = call
        var counters = DataPathStatistics()
        counters.rxPackets = 593
        counters.rxBytes = 608_676
        counters.rxErrors = 1
        counters.txPackets = 135
        counters.txBytes = 40145
        path.sessionCounters[100 << 16 | 1000] = counters
        var tunnel = DataPathStatistics()
        tunnel.rxPackets = 700
        tunnel.txErrors = 2
        path.tunnelCounters[100] = tunnel
        return (h, path)
    }

    @Test func sessionShowTextHasPeerDataAndDataCounters() throws {
        let (h, _) = try Self.establishedSession()
        let text = h.daemon.showSession(100, 1000)
        #expect(
            text.contains(
                """
                  Peer configuration data:-
                    data sequencing required: OFF
                    framing types: SYNC
                    bearer types: ANALOG
                    connect speed: 54000000
                """), "\(text)")
        #expect(text.contains("  data rx packets: 593, rx bytes: 608676, rx errors: 1\n"), "\(text)")
        #expect(text.hasSuffix("  data tx packets: 135, tx bytes: 40145, tx errors: 0"), "\(text)")
    }

    @Test func sessionRecordCarriesPeerDataAndTheDataPlaneCounters() throws {
        let (h, path) = try Self.establishedSession()
        let session = try #require(h.daemon.tunnels[100]?.sessions[1000])
        let record = h.daemon.sessionRecord(session, detailed: true)
        #expect(record["peer_framing_type"] == .string("sync"))
        #expect(record["peer_bearer_type"] == .string("analog"))
        #expect(record["peer_connect_speed"] == .string("54000000"))
        #expect(record["peer_sequencing_required"] == .bool(false))
        #expect(record["rx_packets"] == .uint(593))
        #expect(record["rx_errors"] == .uint(1))
        #expect(record["tx_bytes"] == .uint(40145))
        // Asked again each time: a later kernel count shows at once.
        path.sessionCounters[100 << 16 | 1000]?.rxPackets = 600
        #expect(h.daemon.sessionRecord(session, detailed: true)["rx_packets"] == .uint(600))
        // Lists stay cheap: no per-session data plane query.
        #expect(h.daemon.sessionRecord(session)["rx_packets"] == nil)
    }

    @Test func sessionWithoutDataPlaneCountersShowsZeros() throws {
        let (h, path) = try Self.establishedSession()
        path.sessionCounters = [:]
        let session = try #require(h.daemon.tunnels[100]?.sessions[1000])
        #expect(h.daemon.sessionRecord(session, detailed: true)["tx_packets"] == .uint(0))
        #expect(h.daemon.showSession(100, 1000).contains("data rx packets: 0, rx bytes: 0, rx errors: 0"))
    }

    @Test func tunnelShowHasTheKernelTunnelCounters() throws {
        let (h, _) = try Self.establishedSession()
        let record = h.daemon.tunnelRecord(try #require(h.daemon.tunnels[100]), detailed: true)
        #expect(record["data_rx_packets"] == .uint(700))
        #expect(record["data_tx_errors"] == .uint(2))
        #expect(h.daemon.showTunnel(100).contains("  data rx packets: 700, rx bytes: 0, rx errors: 0\n"))
    }

    @Test func nullDataPlaneCountsZeroForAnEstablishedSession() throws {
        let h = DaemonHarness()
        h.daemon.dataPath = DataPlaneSessionDataPath(NullDataPlane(), name: "null")
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1\nsession create tunnel_name=t")
        h.tunnelUp(100)
        #expect(h.daemon.dataPath.sessionStatistics(tunnelID: 100, sessionID: 1000) == nil)
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 1000, peerSessionID: 9))])
        #expect(h.daemon.dataPath.sessionStatistics(tunnelID: 100, sessionID: 1000) == .zero)
        #expect(h.daemon.dataPath.tunnelStatistics(tunnelID: 100) == .zero)
    }
}

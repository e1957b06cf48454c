import Foundation
import L2TPDataPath
import Logging
import NIOCore
import Testing
@testable import L2TPDaemon

/// SIGTERM in one process: two runtimes on loopback with the real control
/// engine, the LAC's data path a recording null plane standing in for the
/// kernel. Times are wall-clock and bounded generously (only a failure costs).
@Suite(.serialized) struct DaemonShutdownTests {
    static func runtime(label: String, log: LogCapture? = nil) throws -> DaemonRuntime {
        let socket = try UDPSocket.bind(IPv4SocketAddress(address: 0x7F00_0001, port: 0))
        var options = DaemonOptions()
        options.udpPort = socket.localAddress.port
        let logger = Logger(label: label) { _ in
            if let log { return CapturingLogHandler(capture: log) }
            return SwiftLogNoOpLogHandler()
        }
        return try DaemonRuntime(
            options: options, logger: logger, listenerSocket: socket,
            makeEngine: { EndpointControlEngine() })
    }

    /// A LAC with `sessions` sessions established towards `lns`, on `plane`.
    static func establishedLAC(
        towards lns: DaemonRuntime, sessions: Int, plane: NullDataPlane,
        log: LogCapture
    ) async throws -> DaemonRuntime {
        let lac = try runtime(label: "lac", log: log)
        try await lac.loop.submit { lac.daemon.dataPath = DataPlaneSessionDataPath(plane, name: "null") }.get()
        var config =
            "tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 peer_udp_port=\(lns.daemon.listenAddress.port)\n"
        for i in 1...sessions { config += "session create tunnel_name=t session_name=s\(i)\n" }
        try lac.configure(config, file: "lac.conf")
        for _ in 0..<200 {
            let up = try await lac.loop.submit {
                lac.daemon.tunnels.values.flatMap(\.sessions.values).filter { $0.state == .established }.count
            }.get()
            if up == sessions { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        return lac
    }

    /// Tunnels and sessions the data plane holds.
    static func kernelObjects(_ plane: NullDataPlane) -> (tunnels: Int, sessions: Int) {
        let sessions = plane.calls.filter { call in
            guard case .sessionUp(let p) = call else { return false }
            return plane.session(localTunnelID: p.localTunnelID, localSessionID: p.localSessionID) != nil
        }
        return (plane.tunnelIDs.count, sessions.count)
    }

    /// Data-plane removals: per tunnel, per session.
    static func removals(_ plane: NullDataPlane) -> (tunnels: Int, sessions: Int) {
        var counts = (tunnels: 0, sessions: 0)
        for call in plane.calls {
            if case .tunnelDown = call { counts.tunnels += 1 }
            if case .sessionDown = call { counts.sessions += 1 }
        }
        return counts
    }

    /// StopCCN covers the sessions: within the SIGTERM's own loop turn every
    /// session and the tunnel leave the data plane (no wait per session), and
    /// the daemon stops as soon as the peer acked, far inside the grace.
    @Test func sigtermTakesEverySessionDownAtOnceAndStopsWhenThePeerAcked() async throws {
        let lns = try Self.runtime(label: "lns")
        let plane = NullDataPlane()
        let log = LogCapture()
        let lac = try await Self.establishedLAC(towards: lns, sessions: 40, plane: plane, log: log)
        #expect(Self.kernelObjects(plane) == (1, 40))
        lac.shutdownGrace = .seconds(20)

        let began = ContinuousClock.now
        let afterSignal = try await lac.loop.submit {
            lac.shutdown(signal: "SIGTERM")
            return Self.kernelObjects(plane)
        }.get()
        #expect(afterSignal == (0, 0), "kernel tunnel and sessions removed in the SIGTERM's turn")
        #expect(Self.removals(plane) == (1, 0), "one TUNNEL_DELETE takes the 40 sessions, no SESSION_DELETE each")
        try await lac.stoppedFuture.get()
        let took = ContinuousClock.now - began
        #expect(took < .seconds(5), "stopped \(took) after SIGTERM; the grace is 20 s")
        #expect(log.contains("SIGTERM: shutting down, closing 1 tunnel(s) with 40 session(s)"))
        #expect(log.contains("every peer acknowledged its StopCCN"))
        #expect(log.lines.contains { $0.contains("openl2tpd stopped") && $0.contains("ms after SIGTERM") })
        let sent = try await lac.loop.submit {
            Dictionary(uniqueKeysWithValues: lac.daemon.engine.messageStatistics.map { ($0.name, $0.tx) })
        }.get()
        #expect(sent["StopCCN"] == 1 && (sent["CDN"] ?? 0) == 0, "StopCCN only, no CDN per session: \(sent)")
        // The peer got the StopCCN: its sessions are gone, its tunnel closing
        // (it lingers for retransmissions, RFC 2661 5.7).
        var peer: (sessions: Int, closing: Bool) = (-1, false)
        for _ in 0..<200 {
            peer = try await lns.loop.submit {
                (lns.daemon.sessionCount, lns.daemon.tunnels.values.allSatisfy { $0.state == .closing })
            }.get()
            if peer == (0, true) { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(peer == (0, true))
        try await lac.group.shutdownGracefully()
        await lns.close()
    }

    /// A peer that never acks holds the exit for `shutdownGrace`, no longer.
    @Test func aSilentPeerHoldsShutdownOnlyForTheGrace() async throws {
        let lns = try Self.runtime(label: "lns")
        let plane = NullDataPlane()
        let log = LogCapture()
        let lac = try await Self.establishedLAC(towards: lns, sessions: 5, plane: plane, log: log)
        await lns.close()
        lac.shutdownGrace = .milliseconds(600)

        let began = ContinuousClock.now
        lac.loop.execute { lac.shutdown(signal: "SIGTERM") }
        try await lac.stoppedFuture.get()
        let took = ContinuousClock.now - began
        #expect(took >= .milliseconds(550) && took < .seconds(3), "stopped \(took) after SIGTERM")
        #expect(log.contains("still unacknowledged; exiting anyway"))
        #expect(Self.kernelObjects(plane) == (0, 0))
        // A second signal during or after shutdown changes nothing.
        try await lac.loop.submit { lac.shutdown(signal: "SIGINT") }.get()
        await lac.close()
    }
}

/// Records what the daemon asked of the data path, and how many datagrams
/// had gone out by then.
final class OrderRecordingDataPath: SessionDataPath {
    let name = "kernel"
    var carriesData: Bool { true }
    let sentSoFar: () -> Int
    var sessionDowns: [(UInt16, Int)] = []
    var tunnelDowns: [(UInt16, Int)] = []
    init(sentSoFar: @escaping () -> Int) { self.sentSoFar = sentSoFar }
    func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?, settings: TunnelSettings) throws(DaemonError)
    {}
    func sessionUp(
        tunnelID: UInt16, peerTunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16, isLNS: Bool,
        settings: SessionSettings
    ) throws(DaemonError) {}
    func sessionDown(tunnelID: UInt16, sessionID: UInt16) { sessionDowns.append((sessionID, sentSoFar())) }
    func tunnelDown(tunnelID: UInt16) { tunnelDowns.append((tunnelID, sentSoFar())) }
    func pppSocket(tunnelID: UInt16, sessionID: UInt16) -> Int32? { nil }
    func receivedPackets(tunnelID: UInt16) -> UInt64? { nil }
}

@Suite struct TeardownOrderTests {
    /// A peer's StopCCN with 3 sessions: the engine's batch is the sessions'
    /// and the tunnel's down events, then the ZLB acknowledging it. The ZLB
    /// leaves before any teardown work (under load 100 sessions took the
    /// LNS seconds, and the LAC waited for that ack), and one tunnel
    /// teardown removes the sessions.
    @Test func aPeersStopCCNIsAcknowledgedBeforeItsSessionsAreTornDown() throws {
        let h = DaemonHarness()
        let path = OrderRecordingDataPath(sentSoFar: { [io = h.io] in io.sent.count })
        h.daemon.dataPath = path
        try h.run("tunnel create tunnel_name=t dest_ipaddr=127.0.0.1")
        h.tunnelUp(100)
        let sessions: [UInt16] = [1000, 1001, 1002]
        for sid in sessions {
            h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: sid, peerSessionID: sid))])
        }
        var zlb = ByteBuffer()
        zlb.writeString("ZLB")
        let sentBefore = h.io.sent.count
        h.daemon.perform(
            sessions.map { .event(.sessionDown(tunnelID: 100, sessionID: $0, reason: "tunnel down: closed by peer")) }
                + [
                    .event(.tunnelDown(tunnelID: 100, reason: "closed by peer", byPeer: true)),
                    .send(zlb, to: IPv4SocketAddress(address: 0x7F00_0001, port: 1701), tunnel: 100),
                ])
        #expect(path.tunnelDowns.map(\.0) == [100])
        #expect(path.tunnelDowns.first?.1 == sentBefore + 1, "the ZLB went out before the teardown")
        #expect(path.sessionDowns.isEmpty, "the tunnel's teardown takes its sessions")
        #expect(h.daemon.sessionCount == 0)
        // A single CDN still removes its own session.
        try h.run("tunnel create tunnel_name=u dest_ipaddr=127.0.0.1 config_id=2")
        h.tunnelUp(101)
        h.daemon.perform([.event(.sessionUp(tunnelID: 101, sessionID: 7, peerSessionID: 7))])
        h.daemon.perform([.event(.sessionDown(tunnelID: 101, sessionID: 7, reason: "closed by peer"))])
        #expect(path.sessionDowns.map(\.0) == [7])
    }
}

import L2TPConfig
import L2TPControl
import L2TPWire
import Logging
import NIOCore
import Testing
@testable import L2TPDaemon

/// The daemon's limits under bursts, with the production engine on the LNS
/// side and a real `L2TPEndpoint` as the LAC: every request the LAC makes
/// is in flight before the first is decided, so only limits that count
/// every session and tunnel, whatever its state, hold.
@Suite struct DaemonAdmissionBurstTests {
    /// Keeps the daemon's datagrams for the LAC.
    final class WireIO: LoopbackSockets {
        var outbox: [(ByteBuffer, IPv4SocketAddress)] = []
        var sockets: [UInt16: UDPSocket] = [:]
        var attached: [UInt16: UDPSocket] { sockets }
        func attachTunnelSocket(_ socket: UDPSocket, tunnelID: UInt16, connectTo peer: IPv4SocketAddress?)
            throws(DaemonError)
        { sockets[tunnelID] = socket }
        func connectTunnelSocket(tunnelID: UInt16, to peer: IPv4SocketAddress) {}
        func closeTunnelSocket(tunnelID: UInt16) { sockets.removeValue(forKey: tunnelID)?.close() }
        func socketDescriptor(tunnelID: UInt16) -> Int32? { sockets[tunnelID]?.fd }
        func send(_ datagram: ByteBuffer, to peer: IPv4SocketAddress, tunnelID: UInt16) {
            outbox.append((datagram, peer))
        }
        func scheduleWakeup(at deadline: UInt64?) {}
        deinit { for socket in sockets.values { socket.close() } }
    }

    /// An LNS daemon and a LAC endpoint on a lossless link with a shared clock.
    final class Link {
        let io = WireIO()
        let log = LogCapture()
        let daemon: Daemon
        let lac = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 3))
        let lacAddress: IPv4SocketAddress
        let lnsAddress = IPv4SocketAddress(address: 0x7F00_0001, port: 1701)
        var now: UInt64 = 1_000_000_000
        var lacSessionsUp: Set<SessionID> = []
        var lacSessionsDown: [SessionID: SessionDownReason] = [:]
        var lacTunnelsDown: [TunnelID: TunnelDownReason] = [:]

        init(lacAddress: IPv4SocketAddress = IPv4SocketAddress(address: 0x7F00_0002, port: 1701)) {
            self.lacAddress = lacAddress
            let capture = log
            var clock: (() -> UInt64)!
            daemon = Daemon(
                options: DaemonOptions(), logger: Logger(label: "lns") { _ in CapturingLogHandler(capture: capture) },
                listenAddress: IPv4SocketAddress(address: 0x7F00_0001, port: 0), clock: { clock() })
            clock = { [unowned self] in self.now }
            daemon.engine = EndpointControlEngine()
            daemon.io = io
        }

        var instant: L2TPInstant { L2TPInstant(nanoseconds: now) }

        func fromLAC(_ actions: [L2TPAction]) {
            for action in actions {
                switch action {
                case .send(let bytes, _, _): daemon.receive(bytes, from: lacAddress, onTunnel: nil)
                case .sessionUp(let info): lacSessionsUp.insert(info.sessionID)
                case .sessionDown(_, let sid, let reason): lacSessionsDown[sid] = reason
                case .tunnelDown(let tid, let reason): lacTunnelsDown[tid] = reason
                default: break
                }
            }
        }

        /// Delivers datagrams both ways and fires timers until both sides are quiet.
        func run(seconds: UInt64 = 60) {
            let end = now + seconds * 1_000_000_000
            while now <= end {
                while !io.outbox.isEmpty {
                    let batch = io.outbox
                    io.outbox.removeAll()
                    for (bytes, _) in batch { fromLAC(lac.receive(bytes, from: lnsAddress.peerAddress, now: instant)) }
                }
                let next = [lac.nextDeadline?.nanoseconds, daemon.nextWakeup].compactMap { $0 }.min()
                guard let next, next <= end else { return }
                now = max(now, next)
                fromLAC(lac.handleTimeout(now: instant))
                daemon.handleTimers()
            }
        }

        func openTunnel() throws -> TunnelID {
            let (tunnel, actions) = try lac.openTunnel(
                TunnelParameters(), to: lnsAddress.peerAddress, now: instant)
            fromLAC(actions)
            run(seconds: 5)
            return tunnel
        }

        /// Opens `count` incoming calls at once (their ICRQs queue in the LAC's window).
        func openSessions(_ count: Int, in tunnel: TunnelID) throws {
            for _ in 0..<count {
                fromLAC(try lac.openSession(tunnel: tunnel, SessionParameters(callType: .lacIncoming), now: instant).1)
            }
            run()
        }

        var lnsSessions: [SessionRecord] { daemon.tunnels.values.flatMap { $0.sessions.values } }
    }

    @Test(arguments: [8, 2000])
    func systemMaxSessionsHoldsAgainstABurst(calls: Int) throws {
        let link = Link()
        try link.daemon.loadConfiguration("system modify max_sessions=5", file: "test.conf")
        let tunnel = try link.openTunnel()
        #expect(link.lac.tunnel(tunnel)?.phase == .established)
        try link.openSessions(calls, in: tunnel)
        #expect(link.lacSessionsUp.count == 5)
        #expect(link.lnsSessions.count == 5 && link.lnsSessions.allSatisfy { $0.state == .established })
        #expect(link.lacSessionsDown.count == calls - 5)
        #expect(
            link.lacSessionsDown.values.allSatisfy {
                if case .closedByPeer(let result, _) = $0 { result.result == 4 } else { false }
            })
        #expect(link.log.contains("max_sessions limit (5) reached (system); CDN result code 4"))
        #expect(link.daemon.counters.sessionsRefused == UInt64(calls - 5))
        // A flood of refusals is summarised, not logged a line each.
        #expect(link.log.lines.filter { $0.contains("refused session") }.count <= 10)
    }

    @Test func aTunnelProfilesMaxSessionsHoldsAgainstABurst() throws {
        let link = Link()
        try link.daemon.loadConfiguration("tunnel profile modify profile_name=default max_sessions=3", file: "t.conf")
        let tunnel = try link.openTunnel()
        try link.openSessions(8, in: tunnel)
        #expect(link.lacSessionsUp.count == 3)
        #expect(link.lnsSessions.count == 3)
        #expect(link.log.contains("max_sessions limit (3) of tunnel"))
    }

    @Test(arguments: [(0xC000_020A as UInt32, true), (0xC633_640A as UInt32, false)])
    func simpleAuthAdmitsOnlyListedNetworks(address: UInt32, admitted: Bool) throws {
        let link = Link(lacAddress: IPv4SocketAddress(address: address, port: 1701))
        try link.daemon.loadConfiguration(
            """
            peer profile create profile_name=docnet peer_ipaddr=192.0.2.0 netmask=255.255.255.0
            peer profile create profile_name=othernet peer_ipaddr=203.0.113.0 netmask=255.255.255.0
            tunnel profile modify profile_name=default auth_mode=simple
            """, file: "simple.conf")
        let tunnel = try link.openTunnel()
        if admitted {
            #expect(link.lac.tunnel(tunnel)?.phase == .established)
        } else {
            guard case .closedByPeer(let result) = link.lacTunnelsDown[tunnel] else {
                Issue.record("not refused: \(String(describing: link.lac.tunnel(tunnel)?.phase))")
                return
            }
            #expect(result.result == 4)
            #expect(link.log.contains("auth_mode=simple and no peer profile matches"))
        }
    }

    @Test func aDeletedTunnelsNameIsFreeAtOnceAndNotSaved() throws {
        let link = Link()
        // The peer never answers: the tunnel lingers while its StopCCN is retried.
        try link.daemon.loadConfiguration("tunnel create tunnel_name=gone dest_ipaddr=192.0.2.99", file: "t.conf")
        let first = try #require(link.daemon.tunnels.keys.first)
        try link.daemon.execute(CommandParser().parseCommand("tunnel delete tunnel_name=gone"))
        #expect(link.daemon.tunnels[first]?.state == .closing)
        #expect(!link.daemon.localCreateCommands().contains { $0.string(.tunnelName) == "gone" })
        try link.daemon.execute(CommandParser().parseCommand("tunnel create tunnel_name=gone dest_ipaddr=192.0.2.98"))
        #expect(link.daemon.tunnels.values.filter { $0.name == "gone" }.count == 1)
        #expect(link.daemon.localCreateCommands().filter { $0.string(.tunnelName) == "gone" }.count == 1)
    }

    @Test func theHalfOpenTableSizeIsTheOperatorsSetting() throws {
        let link = Link()
        try link.daemon.loadConfiguration("system modify max_half_open_tunnels=3", file: "t.conf")
        for host in UInt32(1)...5 {
            let sccrq = try ControlMessage(
                .sccrq, tunnelID: 0,
                avps: [
                    .protocolVersion(.rfc2661), .hostName(Array("flood".utf8)), .framingCapabilities([.synchronous]),
                    .assignedTunnelID(UInt16(host)), .receiveWindowSize(4),
                ]
            ).encoded()
            link.daemon.receive(sccrq, from: IPv4SocketAddress(address: 0xC633_6400 | host, port: 1701), onTunnel: nil)
        }
        #expect(link.daemon.tunnels.count == 3)
        #expect(link.daemon.engine.controlDrops.halfOpenEvicted == 2)
        #expect(link.daemon.showSystem([.configuration]).contains("max half-open tunnels: 3"))
    }
}

import L2TPConfig
import Logging
import NIOCore
@testable import L2TPDaemon

/// A scripted control engine: records requests, hands out sequential ids,
/// and lets tests inject events as if they came from the network.
final class ScriptedEngine: ControlEngine {
    var nextTunnelID: UInt16 = 100
    var nextSessionID: UInt16 = 1000
    var opened: [(UInt16, IPv4SocketAddress, TunnelSettings)] = []
    var openedSessions: [(UInt16, UInt16, SessionSettings)] = []
    var closed: [UInt16] = []
    var deadline: UInt64?
    var resets = 0

    func receive(_ datagram: ByteBuffer, from peer: IPv4SocketAddress, now: UInt64) -> [EngineOutput] { [] }

    func openTunnel(to peer: IPv4SocketAddress, settings: TunnelSettings, now: UInt64) throws(DaemonError) -> (
        tunnelID: UInt16, outputs: [EngineOutput]
    ) {
        let id = nextTunnelID
        nextTunnelID += 1
        opened.append((id, peer, settings))
        var sccrq = ByteBuffer()
        sccrq.writeString("SCCRQ")
        return (id, [.send(sccrq, to: peer, tunnel: id)])
    }

    func closeTunnel(_ tunnelID: UInt16, now: UInt64) -> [EngineOutput] {
        closed.append(tunnelID)
        return [
            .event(.tunnelDown(tunnelID: tunnelID, reason: "closed locally", byPeer: false)),
            .event(.tunnelFreed(tunnelID: tunnelID)),
        ]
    }

    /// Decisions the daemon gave on requests injected as events.
    var tunnelDecisions: [(UInt16, Admission<TunnelSettings>)] = []
    var sessionDecisions: [(UInt16, UInt16, Admission<SessionSettings>)] = []
    func decideTunnel(_ tunnelID: UInt16, _ admission: Admission<TunnelSettings>, now: UInt64) -> [EngineOutput] {
        tunnelDecisions.append((tunnelID, admission))
        if case .refuse = admission { return closeTunnel(tunnelID, now: now) }
        return []
    }
    func decideSession(
        _ sessionID: UInt16, in tunnelID: UInt16, _ admission: Admission<SessionSettings>, now: UInt64
    ) -> [EngineOutput] {
        sessionDecisions.append((tunnelID, sessionID, admission))
        if case .refuse = admission { return closeSession(sessionID, in: tunnelID, now: now) }
        return []
    }

    var refusals: [Refusal] = []
    func closeTunnel(_ tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput] {
        refusals.append(refusal)
        return closeTunnel(tunnelID, now: now)
    }
    func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput] {
        refusals.append(refusal)
        return closeSession(sessionID, in: tunnelID, now: now)
    }

    /// Sessions closeAllTunnels reports down before their tunnel, as the
    /// real engine does for established sessions.
    var sessionsOnClose: [UInt16: [UInt16]] = [:]

    func closeAllTunnels(now: UInt64) -> [EngineOutput] {
        opened.map(\.0).filter { !closed.contains($0) }.flatMap { tunnel in
            (sessionsOnClose[tunnel] ?? []).map {
                EngineOutput.event(.sessionDown(tunnelID: tunnel, sessionID: $0, reason: "tunnel down: closed locally"))
            } + closeTunnel(tunnel, now: now)
        }
    }

    func openSession(in tunnelID: UInt16, settings: SessionSettings, now: UInt64) throws(DaemonError) -> (
        sessionID: UInt16, outputs: [EngineOutput]
    ) {
        let id = nextSessionID
        nextSessionID += 1
        openedSessions.append((tunnelID, id, settings))
        return (id, [])
    }

    func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, now: UInt64) -> [EngineOutput] {
        [.event(.sessionDown(tunnelID: tunnelID, sessionID: sessionID, reason: "closed locally"))]
    }

    var maxHalfOpenTunnels = 4096
    var dataNoted: [UInt16] = []
    func noteDataTraffic(tunnel tunnelID: UInt16, now: UInt64) { dataNoted.append(tunnelID) }
    func handleTimeout(now: UInt64) -> [EngineOutput] { [] }
    var nextDeadline: UInt64? { deadline }
    var messageStatistics: [MessageStatistics] { [MessageStatistics(name: "SCCRQ", rxGood: 1, rxBad: 2, tx: 3)] }
    func resetStatistics() { resets += 1 }
    var unacknowledged = 0
    var unacknowledgedMessages: Int { unacknowledged }
    func tunnelControlStatistics(_ tunnelID: UInt16) -> TunnelControlStatistics? {
        TunnelControlStatistics(state: "established", messagesSent: 4, retransmissions: 1)
    }
    /// Set-Link-Info requests: tunnel, session, send ACCM, receive ACCM.
    var linkInfos: [(UInt16, UInt16, UInt32, UInt32)] = []
    func setLinkInfo(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32, now: UInt64)
        -> [EngineOutput]
    {
        linkInfos.append((tunnelID, sessionID, sendACCM, receiveACCM))
        var sli = ByteBuffer()
        sli.writeString("SLI")
        return [.send(sli, to: IPv4SocketAddress(address: 0x7F00_0001, port: 1701), tunnel: tunnelID)]
    }
    /// What the peer's call messages said, per tunnel << 16 | session.
    var callDetails: [UInt32: SessionCallDetails] = [:]
    func sessionCallDetails(tunnelID: UInt16, sessionID: UInt16) -> SessionCallDetails? {
        callDetails[UInt32(tunnelID) << 16 | UInt32(sessionID)]
    }
}

/// Records what the daemon asks of the I/O edge.
final class RecordingIO: DaemonIO, LoopbackSockets {
    var attached: [UInt16: UDPSocket] = [:]
    var connected: [(UInt16, IPv4SocketAddress)] = []
    var closedSockets: [UInt16] = []
    var sent: [(UInt16, IPv4SocketAddress)] = []
    var wakeup: UInt64?

    func attachTunnelSocket(_ socket: UDPSocket, tunnelID: UInt16, connectTo peer: IPv4SocketAddress?)
        throws(DaemonError)
    {
        attached[tunnelID] = socket
    }
    func socketDescriptor(tunnelID: UInt16) -> Int32? { attached[tunnelID]?.fd }
    func connectTunnelSocket(tunnelID: UInt16, to peer: IPv4SocketAddress) { connected.append((tunnelID, peer)) }
    func closeTunnelSocket(tunnelID: UInt16) {
        closedSockets.append(tunnelID)
        if let socket = attached.removeValue(forKey: tunnelID) { socket.close() }
    }
    func send(_ datagram: ByteBuffer, to peer: IPv4SocketAddress, tunnelID: UInt16) { sent.append((tunnelID, peer)) }
    func scheduleWakeup(at deadline: UInt64?) { wakeup = deadline }
    var memoryReturns = 0
    func returnFreedMemory() { memoryReturns += 1 }

    deinit { for socket in attached.values { socket.close() } }
}

/// Real sockets on loopback for test I/O edges, with no routing look-ups
/// and a fixed wall clock, so tests do not depend on the host.
protocol LoopbackSockets: DaemonIO {
    var attached: [UInt16: UDPSocket] { get }
}

extension LoopbackSockets {
    func bindTunnelSocket(_ local: IPv4SocketAddress) throws(DaemonError) -> UDPSocket { try UDPSocket.bind(local) }
    func discardSocket(_ socket: UDPSocket) { socket.close() }
    func visibleAddress(_ local: IPv4SocketAddress, toward peer: IPv4SocketAddress) -> IPv4SocketAddress { local }
    func boundAddress(tunnelID: UInt16) -> IPv4SocketAddress? { attached[tunnelID]?.localAddress }
    /// 2023-11-14T22:13:20Z.
    func wallClock() -> Int { 1_700_000_000 }
}

/// Captures log lines so tests can check what the operator would read.
final class LogCapture: @unchecked Sendable {
    private var storage: [String] = []
    /// Called with each line as it is logged (to see what happened before it).
    var observer: ((String) -> Void)?
    var lines: [String] { storage }
    func append(_ line: String) {
        storage.append(line)
        observer?(line)
    }
    func contains(_ text: String) -> Bool { storage.contains { $0.contains(text) } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { capture.append("\(event.level) \(event.message)") }
}

/// A daemon wired to the scripted engine and recording I/O, on a fake clock.
final class DaemonHarness {
    let engine = ScriptedEngine()
    let io = RecordingIO()
    let log = LogCapture()
    let daemon: Daemon
    var now: UInt64 = 1_000_000_000

    init(options: DaemonOptions = DaemonOptions()) {
        let capture = log
        let logger = Logger(label: "test") { _ in CapturingLogHandler(capture: capture) }
        var clockBox: (() -> UInt64)!
        daemon = Daemon(
            options: options, logger: logger,
            listenAddress: IPv4SocketAddress(address: 0x7F00_0001, port: 47011),
            clock: { clockBox() })
        clockBox = { [unowned self] in self.now }
        daemon.engine = engine
        daemon.io = io
    }

    func run(_ text: String, file: String = "test.conf") throws {
        try daemon.loadConfiguration(text, file: file)
    }

    /// The engine reports that tunnel `id` came up.
    func tunnelUp(_ id: UInt16, peerTunnel: UInt16 = 7) {
        daemon.perform([
            .event(
                .tunnelUp(
                    tunnelID: id, peerTunnelID: peerTunnel,
                    peer: IPv4SocketAddress(address: 0x7F00_0001, port: 1701), peerHostName: "peer"))
        ])
    }
}

extension UDPSocket {
    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #endif
    }
}

#if canImport(Glibc)
    import Glibc
#endif

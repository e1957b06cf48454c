import Dispatch
import L2TPManagement
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The I/O edge of openl2tpd: one SwiftNIO event loop (epoll), the listening
/// socket, one socket per tunnel, the timer that drives the control layer,
/// and signals. Everything the daemon does happens on `loop`.
///
/// `@unchecked Sendable`: the mutable state is only touched on `loop`
/// (signal handlers and callers hop onto it with `loop.execute`).
public final class DaemonRuntime: DaemonIO, @unchecked Sendable {
    public let group: MultiThreadedEventLoopGroup
    public let loop: EventLoop
    public let daemon: Daemon
    let logger: Logger
    private var listener: Channel?
    private var tunnelChannels: [UInt16: Channel] = [:]
    private var tunnelFDs: [UInt16: Int32] = [:]
    /// Datagrams for a tunnel whose channel is still being registered.
    private var pendingSends: [UInt16: [AddressedEnvelope<ByteBuffer>]] = [:]
    private var wakeup: Scheduled<Void>?
    private var wakeupDeadline: UInt64?
    private var signalSources: [DispatchSourceSignal] = []
    private let stopped: EventLoopPromise<Void>
    private var configFile: String
    /// How long SIGTERM waits for the peers' acks of StopCCN.
    public var shutdownGrace: TimeAmount = .seconds(3)
    /// Observers of every control datagram (pcap trace).
    public var datagramObservers: [(ByteBuffer, IPv4SocketAddress, IPv4SocketAddress, Bool) -> Void] = []

    /// `listenerSocket` is already bound (so a busy port is reported before
    /// daemonizing); the runtime hands it to NIO.
    public init(
        options: DaemonOptions, logger: Logger, listenerSocket: UDPSocket,
        makeEngine: () -> ControlEngine
    ) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        self.logger = logger
        configFile = options.configFile
        daemon = Daemon(
            options: options, logger: logger, listenAddress: listenerSocket.localAddress,
            clock: { NIODeadline.now().uptimeNanoseconds })
        daemon.engine = makeEngine()
        stopped = loop.makePromise()
        daemon.io = self
        do {
            listener = try bootstrap(tunnelID: nil).withBoundSocket(listenerSocket.fd).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    private func bootstrap(tunnelID: UInt16?) -> DatagramBootstrap {
        DatagramBootstrap(group: loop).channelInitializer { [unowned self] channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(DatagramHandler(runtime: self, tunnelID: tunnelID))
            }
        }
    }

    // MARK: - Running

    /// Applies the start-up configuration on the loop; throws the first error.
    public func configure(_ commands: String, file: String) throws {
        try loop.submit { [self] () throws -> Void in
            try self.daemon.loadConfiguration(commands, file: file)
        }.wait()
    }

    /// Completes once the runtime has stopped: StopCCNs acked (or the grace
    /// over), plugins unloaded, sockets closed.
    public var stoppedFuture: EventLoopFuture<Void> { stopped.futureResult }

    /// Stops a runtime that was never `run()` (tests, embedding): closes the
    /// sockets and shuts the event loop down.
    public func close() async {
        loop.execute { [self] in finish() }
        try? await stopped.futureResult.get()
        try? await group.shutdownGracefully()
    }

    /// Stops without running (start-up failed after the loop existed).
    public func abandon() {
        loop.execute { [self] in finish() }
        try? stopped.futureResult.wait()
        try? group.syncShutdownGracefully()
    }

    /// Run (blocking, off the loop) after the daemon stopped and before the
    /// event loop goes away: the management server's shutdown.
    public var stopHooks: [() -> Void] = []

    /// Installs the signal handlers and blocks until shutdown has finished.
    public func run() {
        installSignalHandlers()
        try? stopped.futureResult.wait()
        for source in signalSources { source.cancel() }
        for hook in stopHooks { hook() }
        try? group.syncShutdownGracefully()
    }

    private func installSignalHandlers() {
        let actions: [(Int32, @Sendable () -> Void)] = [
            (SIGTERM, { [unowned self] in self.loop.execute { self.shutdown(signal: "SIGTERM") } }),
            (SIGINT, { [unowned self] in self.loop.execute { self.shutdown(signal: "SIGINT") } }),
            (SIGHUP, { [unowned self] in self.loop.execute { self.reload() } }),
            (SIGUSR1, { [unowned self] in self.loop.execute { self.daemon.toggleDebug() } }),
        ]
        signal(SIGPIPE, SIG_IGN)
        for (number, action) in actions {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: action)
            source.resume()
            signalSources.append(source)
        }
    }

    /// SIGHUP: re-read the configuration file (Daemon.reloadConfiguration).
    func reload() {
        logger.notice("SIGHUP: re-reading \(configFile)")
        switch readTextFile(configFile) {
        case .success(let text): daemon.reloadConfiguration(text, file: configFile)
        case .failure(let error): logger.error("\(error); the running configuration is kept")
        }
    }

    /// When SIGTERM/SIGINT arrived, and which (for the "stopped" line).
    private var shutdownStarted: (signal: String, at: NIODeadline)?
    private var finished = false

    /// SIGTERM, in one event-loop turn: StopCCN to every peer at once (it
    /// covers the tunnel's sessions, RFC 2661 5.7/6.4: no CDN each), so
    /// every session goes down together: plugins' session_down (ppp_unix
    /// sends each pppd SIGTERM, never waiting), kernel sessions and tunnels
    /// deleted. Then wait until the peers acked (no control message left
    /// unacknowledged) or `shutdownGrace` ends, and stop: the plugins'
    /// destructors run (ppp_unix waits for its pppd, bounded by its
    /// shutdown_grace counted from that SIGTERM, so the two waits overlap).
    /// The closing tunnels' linger (RFC 2661 5.7) is cut short: we exit.
    func shutdown(signal name: String) {
        guard shutdownStarted == nil, !finished else { return }
        shutdownStarted = (name, NIODeadline.now())
        logger.notice(
            "\(name): shutting down, closing \(daemon.tunnels.count) tunnel(s) with \(daemon.sessionCount) session(s)")
        daemon.beginShutdown()
        waitForAcknowledgements(until: NIODeadline.now() + shutdownGrace)
    }

    private func waitForAcknowledgements(until deadline: NIODeadline) {
        let pending = daemon.engine.unacknowledgedMessages
        if daemon.tunnels.isEmpty || pending == 0 {
            if !daemon.tunnels.isEmpty { logger.info("every peer acknowledged its StopCCN") }
            finish()
        } else if NIODeadline.now() >= deadline {
            logger.warning("\(pending) control message(s) still unacknowledged; exiting anyway")
            finish()
        } else {
            loop.scheduleTask(in: .milliseconds(20)) { [unowned self] in self.waitForAcknowledgements(until: deadline) }
        }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        wakeup?.cancel()
        // Plugins last, after the daemon's own teardown (docs/plugins.md).
        daemon.plugins?.unloadAll()
        let channels = Array(tunnelChannels.values) + (listener.map { [$0] } ?? [])
        tunnelChannels.removeAll()
        let closes = channels.map { $0.close().recover { _ in } }
        let started = shutdownStarted
        EventLoopFuture.andAllComplete(closes, on: loop).whenComplete { [stopped, logger] _ in
            if let started {
                let milliseconds = (NIODeadline.now() - started.at).nanoseconds / 1_000_000
                logger.notice("openl2tpd stopped \(milliseconds) ms after \(started.signal)")
            } else {
                logger.notice("openl2tpd stopped")
            }
            stopped.succeed(())
        }
    }

    // MARK: - Inbound

    func datagramReceived(_ datagram: ByteBuffer, from peer: IPv4SocketAddress, onTunnel tunnelID: UInt16?) {
        if !datagramObservers.isEmpty {
            let local =
                tunnelID.flatMap { daemon.tunnels[$0]?.local }
                ?? Self.visibleAddress(daemon.listenAddress, toward: peer)
            for observer in datagramObservers { observer(datagram, peer, local, true) }
        }
        daemon.receive(datagram, from: peer, onTunnel: tunnelID)
    }

    func socketError(_ error: Error, tunnelID: UInt16?) {
        daemon.trace(.transport, tunnel: tunnelID, "socket error: \(error)")
    }

    // MARK: - DaemonIO

    public func bindTunnelSocket(_ local: IPv4SocketAddress) throws(DaemonError) -> UDPSocket {
        try UDPSocket.bind(local)
    }

    public func discardSocket(_ socket: UDPSocket) { _ = Glibc.close(socket.fd) }

    public func visibleAddress(_ local: IPv4SocketAddress, toward peer: IPv4SocketAddress) -> IPv4SocketAddress {
        Self.visibleAddress(local, toward: peer)
    }

    /// A socket bound to 0.0.0.0 shows the address routing picks toward the peer.
    static func visibleAddress(_ local: IPv4SocketAddress, toward peer: IPv4SocketAddress) -> IPv4SocketAddress {
        guard local.isAny, let source = UDPSocket.sourceAddress(toward: peer) else { return local }
        return IPv4SocketAddress(address: source, port: local.port)
    }

    public func boundAddress(tunnelID: UInt16) -> IPv4SocketAddress? {
        tunnelFDs[tunnelID].flatMap { try? UDPSocket.localName($0) }
    }

    public func wallClock() -> Int { Int(time(nil)) }

    public func attachTunnelSocket(_ socket: UDPSocket, tunnelID: UInt16, connectTo peer: IPv4SocketAddress?)
        throws(DaemonError)
    {
        if let peer { try socket.connect(to: peer) }
        tunnelFDs[tunnelID] = socket.fd
        // On the loop already: the future completes before we return because
        // registration happens inline on this loop.
        let future = bootstrap(tunnelID: tunnelID).withBoundSocket(socket.fd)
        future.whenSuccess { [unowned self] channel in
            if self.tunnelFDs[tunnelID] == socket.fd {
                self.tunnelChannels[tunnelID] = channel
                for envelope in self.pendingSends.removeValue(forKey: tunnelID) ?? [] {
                    channel.writeAndFlush(envelope, promise: nil)
                }
            } else {
                channel.close(promise: nil)
            }
        }
        future.whenFailure { [logger] error in
            logger.warning("tunnel \(tunnelID): cannot register its socket: \(error)")
        }
        // (Socket hooks fire from the daemon: connected on tunnel up, disconnected on tunnel freed.)
    }

    public func socketDescriptor(tunnelID: UInt16) -> Int32? { tunnelFDs[tunnelID] }

    public func connectTunnelSocket(tunnelID: UInt16, to peer: IPv4SocketAddress) {
        guard let fd = tunnelFDs[tunnelID] else { return }
        do {
            try UDPSocket.connect(fd: fd, to: peer)
            daemon.trace(.transport, tunnel: tunnelID, "socket connected to \(peer)")

        } catch {
            logger.warning("tunnel \(tunnelID): \(error)")
        }
    }

    public func closeTunnelSocket(tunnelID: UInt16) {
        tunnelFDs[tunnelID] = nil
        pendingSends[tunnelID] = nil
        if let channel = tunnelChannels.removeValue(forKey: tunnelID) {
            channel.close(promise: nil)

        }
    }

    public func send(_ datagram: ByteBuffer, to peer: IPv4SocketAddress, tunnelID: UInt16) {
        if !datagramObservers.isEmpty {
            let local = daemon.tunnels[tunnelID]?.local ?? Self.visibleAddress(daemon.listenAddress, toward: peer)
            for observer in datagramObservers { observer(datagram, peer, local, false) }
        }
        let envelope = AddressedEnvelope(remoteAddress: peer.socketAddress, data: datagram)
        if tunnelChannels[tunnelID] == nil, tunnelFDs[tunnelID] != nil {
            pendingSends[tunnelID, default: []].append(envelope)
            return
        }
        guard let channel = tunnelChannels[tunnelID] ?? listener else { return }
        channel.writeAndFlush(envelope, promise: nil)
    }

    public func returnFreedMemory() {
        // glibc keeps freed heap for reuse; a flood's memory must come back.
        // malloc_trim is glibc's (malloc.h, not in the Glibc module): looked up.
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }

    public func scheduleWakeup(at deadline: UInt64?) {
        guard deadline != wakeupDeadline else { return }
        wakeup?.cancel()
        wakeupDeadline = deadline
        guard let deadline else { wakeup = nil; return }
        wakeup = loop.scheduleTask(deadline: .uptimeNanoseconds(deadline)) { [unowned self] in
            self.wakeupDeadline = nil
            self.wakeup = nil
            self.daemon.handleTimers()
        }
    }
}

/// Reads a whole text file; the error names the file.
public func readTextFile(_ path: String) -> Result<String, DaemonError> {
    guard let file = fopen(path, "r") else {
        return .failure(.configuration("\(path): cannot read: \(errnoText(errno))"))
    }
    defer { fclose(file) }
    // fopen opens a directory and fread then reads nothing: without this,
    // `-c DIRECTORY` would start with an empty configuration.
    var status = stat()
    if fstat(fileno(file), &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
        return .failure(.configuration("\(path): cannot read: is a directory, not a configuration file"))
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return .success(String(decoding: bytes, as: UTF8.self))
}

/// Writes a whole text file (config save, which holds secrets): mode 0600,
/// no symbolic link followed, no other user's file overwritten
/// (`PrivateFile`); the error names the file.
public func writeTextFile(_ path: String, _ text: String) throws(DaemonError) {
    do {
        try PrivateFile.write(text, to: path)
    } catch {
        throw .configuration(error.description)
    }
}

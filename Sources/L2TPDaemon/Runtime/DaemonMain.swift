import Dispatch
import L2TPConfig
import L2TPDataPath
import L2TPManagement
import L2TPPluginHost
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What `openl2tpd`'s main.swift runs: options, logging, configuration,
/// sockets, daemonizing, pid file, then the event loop until SIGTERM.
/// Returns the process exit status.
public enum DaemonMain {
    public static func run(arguments: [String], makeEngine: (Logger) -> ControlEngine) -> Int32 {
        StandardDescriptors.openMissing()
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(arguments)
        } catch {
            writeStandardError("openl2tpd: \(error)\n\(DaemonOptions.usage)\n")
            return 2
        }
        if options.showHelp { print(DaemonOptions.usage); return 0 }
        if options.showVersion { print("openl2tpd (openl2tp-swift) \(OpenL2TPVersion.string)"); return 0 }
        CloseOnExec.markAllDescriptors()
        let descriptorLimit = DescriptorLimit.raiseToHardLimit()

        SyslogLogHandler.open(identifier: "openl2tpd", facility: options.syslogFacility)
        let foreground = options.foreground
        LoggingSystem.bootstrap { label in
            var handlers: [LogHandler] = [SyslogLogHandler(label: label)]
            if foreground { handlers.append(StreamLogHandler.standardError(label: label)) }
            // One message, one line, whatever a call site forgot to escape.
            return OneLineLogHandler(MultiplexLogHandler(handlers))
        }
        var logger = Logger(label: "openl2tpd")
        logger.logLevel = .info
        /// Logs why start-up stopped and that the daemon did not start; the exit status.
        func notStarted(_ why: String, _ advice: String = "") -> Int32 {
            logger.critical("\(why)")
            logger.critical("openl2tpd not started\(advice)")
            return 1
        }
        // Each established tunnel holds a socket and each session a PPPoL2TP
        // socket and a pppd: the limit bounds how many the daemon can carry.
        logger.info("descriptor limit: \(descriptorLimit) (raised to the hard limit)")

        // A bad configuration stops us before anything is bound.
        var configText = ""
        switch readTextFile(options.configFile) {
        case .success(let text): configText = text
        case .failure(let error):
            if options.configFile == DaemonOptions().configFile, access(options.configFile, F_OK) != 0 {
                logger.notice("no \(options.configFile); starting with default settings")
            } else {
                logger.critical("\(error)")
                return 1
            }
        }
        if case .failure(let error) = Daemon.parseConfiguration(configText, file: options.configFile) {
            for line in error.message.split(separator: "\n") { logger.critical("\(line)") }
            logger.critical("openl2tpd not started: fix \(options.configFile) first")
            return 1
        }

        // Before daemon(): a missing plugin file is reported with a non-zero
        // exit status even without -f. Plugins are loaded after the fork
        // (their init may start threads), in DaemonRuntime.loadPlugins.
        if let missing = PluginPreflight.missing(options.plugins, directory: options.pluginDirectory) {
            logger.critical("\(missing)")
            return 1
        }

        let lock: PortLock
        let listenerSocket: UDPSocket
        do {
            lock = try PortLock.acquire(port: options.udpPort)
            listenerSocket = try UDPSocket.bind(IPv4SocketAddress(options.listenAddress, port: options.udpPort)!)
        } catch {
            logger.critical("\(error)")
            return 1
        }
        _ = lock

        // Claimed before daemon(): a refused pid file (a planted symlink,
        // someone else's file) is an exit status the operator sees.
        var pidFile: PidFile?
        if let path = options.pidFile {
            do {
                pidFile = try PidFile(claiming: path)
            } catch {
                return notStarted("\(error)")
            }
        }
        defer { pidFile?.remove() }
        // Likewise the capture: opened before daemon() (and before any
        // thread), so a refused file is the exit status.
        var trace: ControlPacketTrace?
        if let path = options.pcapFile {
            do {
                trace = try ControlPacketTrace(path: path)
            } catch {
                return notStarted("\(error)")
            }
        }
        defer { trace?.close() }

        if !options.foreground {
            // Before any thread exists: fork is only safe in a single-threaded process.
            guard daemon(0, 0) == 0 else {
                logger.critical("daemon(): \(errnoText(errno))")
                return 1
            }
        }
        do { try pidFile?.write() } catch { logger.warning("\(error)") }

        let runtime: DaemonRuntime
        do {
            runtime = try DaemonRuntime(
                options: options, logger: logger, listenerSocket: listenerSocket,
                makeEngine: { makeEngine(logger) })
        } catch {
            logger.critical("cannot listen on UDP port \(options.udpPort): \(error)")
            return 1
        }
        if let trace {
            runtime.datagramObservers.append { trace.record($0, peer: $1, local: $2, inbound: $3) }
            logger.notice("writing control messages to \(trace.path) (pcap)")
        }
        // NIO's epoll/eventfd and libpcap's FILE are not created close-on-exec.
        CloseOnExec.markAllDescriptors()
        // Said once, clearly; the control plane runs either way.
        let listenAddress = IPv4Address(dotted: options.listenAddress).flatMap { address -> [UInt8]? in
            address.value == 0 ? nil : withUnsafeBytes(of: address.value.bigEndian) { Array($0) }
        }
        let udpPort = options.udpPort
        let probed = try? runtime.loop.submit { () -> (message: String, available: Bool, cleanup: String?) in
            let probe = DataPlaneSessionDataPath.probe()
            runtime.daemon.dataPath = probe.path
            // Kernel tunnels on our port left by an earlier run whose socket
            // leaked to another process (the kernel drops the others with
            // their socket). Nothing is ours yet, so nothing is kept.
            var cleanup: String?
            do {
                let removed = try probe.path.dataPlane.removeOrphanedTunnels(
                    OrphanPolicy(localPort: udpPort, localAddress: listenAddress))
                if !removed.isEmpty {
                    cleanup =
                        "removed kernel tunnels left by an earlier run: "
                        + removed.map(String.init).joined(separator: ", ")
                }
            } catch {
                cleanup = "could not look for kernel tunnels left by an earlier run: \(error)"
            }
            return (probe.message, probe.available, cleanup)
        }.wait()
        if let probed {
            if probed.available { logger.notice("\(probed.message)") } else { logger.warning("\(probed.message)") }
            if let cleanup = probed.cleanup { logger.notice("\(cleanup)") }
        }
        // pppd processes an earlier openl2tpd left running (kill -9, crash).
        let leftovers = LeftoverPPPD.select(
            LeftoverPPPD.readProcesses(), networkNamespace: LeftoverPPPD.ownNetworkNamespace())
        for pppd in leftovers {
            let tunnel = pppd.argument(after: "pppol2tp_tunnel_id") ?? "?"
            let session = pppd.argument(after: "pppol2tp_session_id") ?? "?"
            logger.notice(
                "stopping pppd pid \(pppd.pid) left by an earlier openl2tpd (tunnel \(tunnel) session \(session))")
        }
        LeftoverPPPD.stop(leftovers)
        // The netlink socket is not ours to create close-on-exec either.
        CloseOnExec.markAllDescriptors()
        // Plugins (-p), in order, on the loop; a plugin that does not load is fatal.
        do {
            try runtime.loadPlugins(
                options.plugins, directory: options.pluginDirectory,
                defaultPPP: probed?.available ?? false, maxStartingPPP: options.maxStartingPPP)
        } catch {
            logger.critical("\(error)")
            runtime.abandon()
            return 1
        }
        do {
            try runtime.startPPPEvents(path: options.pppEventSocket)
        } catch {
            let status = notStarted("\(error)")
            runtime.abandon()
            return status
        }
        runtime.daemon.logger.notice("openl2tpd started on UDP port \(options.udpPort) (pid \(getpid()))")
        do {
            try runtime.configure(configText, file: options.configFile)
        } catch {
            let status = notStarted("\(error)", ": fix \(options.configFile) first")
            runtime.abandon()
            return status
        }
        // Management RPC (program 300773): Unix socket, and TCP on loopback (any address with -R).
        let management: ManagementServer
        do {
            let handler = DaemonManagementHandler(runtime: runtime)
            let socketPath = options.rpcSocket
            let allowRemote = options.allowRemoteManagement
            let group = runtime.group
            let enableTCP = options.rpcTCP
            management = try runtime.loop.makeFutureWithTask {
                try await ManagementServer.start(
                    handler: handler, socketPath: socketPath, enableTCP: enableTCP,
                    allowRemote: allowRemote, group: group, logger: logger)
            }.wait()
        } catch {
            let status = notStarted("management RPC on \(options.rpcSocket): \(error)")
            runtime.abandon()
            return status
        }
        CloseOnExec.markAllDescriptors()
        runtime.stopHooks.append {
            let done = DispatchSemaphore(value: 0)
            Task {
                await management.shutdown()
                done.signal()
            }
            done.wait()
        }
        runtime.run()
        return 0
    }
}

/// stderr without touching the C global (not concurrency-safe in Swift 6).
func writeStandardError(_ text: String) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}

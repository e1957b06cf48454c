// ippoold: IPv4 address pools for openl2tpd (docs/ippool.md).
// Program 300775 version 1 on a Unix socket, and TCP 127.0.0.1 registered
// with rpcbind when it runs. Allocations live in memory only.
#if canImport(Glibc)
    import Glibc
#endif
import Dispatch
import Foundation
import IPPool
import IPPoolService
import L2TPManagement
import Logging
import NIOPosix

let version = "0.1.0"
StandardDescriptors.openMissing()

func fail(_ message: String, status: Int32 = 1) -> Never {
    writeStderr("ippoold: \(message)\n")
    exit(status)
}

let options: DaemonOptions
do {
    options = try DaemonOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error.message)\n\(DaemonOptions.usage)", status: 2)
}
if options.showHelp {
    print(DaemonOptions.usage)
    exit(0)
}

/// Reads and applies the config file; any error is `FILE:LINE: message`.
func loadConfiguration(_ path: String) throws -> PoolSet {
    guard access(path, R_OK) == 0, let data = FileManager.default.contents(atPath: path) else {
        throw IPPoolError.syntax("\(path): cannot read: \(String(cString: strerror(errno == 0 ? EIO : errno)))")
    }
    let text = String(decoding: data, as: UTF8.self)
    var pools = PoolSet()
    try pools.load(text, file: path)
    return pools
}

// A bad config is reported on stderr before anything else happens.
var initialPools = PoolSet()
if let path = options.configPath {
    do {
        initialPools = try loadConfiguration(path)
    } catch {
        fail("\(error); not starting")
    }
}

if !options.foreground {
    // Before any thread exists (no event loop yet), so fork is safe.
    DaemonLogHandler.openSyslog(facility: options.facility)
    guard daemon(0, 0) == 0 else { fail("cannot detach: \(String(cString: strerror(errno)))") }
}
let level: Logger.Level = options.debug ? .debug : .info
LoggingSystem.bootstrap { _ in DaemonLogHandler(logLevel: level, toStderr: options.foreground) }
let logger = Logger(label: "ippoold")

// Signals are handled on a dispatch queue, not in a C handler. A parent
// (a service manager, a test runner) may have left them blocked: unblock.
var handled = sigset_t()
sigemptyset(&handled)
for number in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&handled, number) }
pthread_sigmask(SIG_UNBLOCK, &handled, nil)
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
signal(SIGHUP, SIG_IGN)
signal(SIGPIPE, SIG_IGN)
let (signals, signalSources) = makeSignalStream([SIGTERM, SIGINT, SIGHUP])

let store = PoolStore(pools: initialPools, logger: logger)
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let server: ManagementServer
do {
    server = try await ManagementServer.start(
        service: IPPoolRPCService(store: store, version: version), socketPath: options.socketPath,
        enableTCP: options.enableTCP, allowRemote: options.allowRemote, group: group, logger: logger)
} catch {
    logger.error("cannot start: \(error)")
    fail("cannot start: \(error)")
}
logger.info(
    "ippoold \(version) started: \(initialPools.names.count) pool(s), socket \(options.socketPath)\(server.tcpServer?.port.map { ", TCP port \($0)" } ?? "")"
)

for await number in signals {
    if number == SIGHUP {
        guard let path = options.configPath else {
            logger.info("SIGHUP: no -c FILE, nothing to reload")
            continue
        }
        do {
            let fresh = try loadConfiguration(path)
            let lost = await store.replace(with: fresh)
            for (pool, address) in lost {
                logger.warning("SIGHUP: allocation \(address) of pool \(pool) is not in the new configuration; dropped")
            }
            logger.info("SIGHUP: reloaded \(path): \(fresh.names.count) pool(s)")
        } catch {
            logger.error("SIGHUP: \(error); keeping the running pools")
        }
        continue
    }
    logger.info("signal \(number): shutting down")
    break
}
await server.shutdown()
withExtendedLifetime(signalSources) {}
try? await group.shutdownGracefully()
exit(0)

/// Delivers signals through dispatch sources (not C handlers). Nonisolated:
/// the handlers run on a dispatch queue, not on the main actor.
nonisolated func makeSignalStream(_ numbers: [Int32]) -> (AsyncStream<Int32>, [any DispatchSourceSignal]) {
    let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
    var sources: [any DispatchSourceSignal] = []
    for number in numbers {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { @Sendable in continuation.yield(number) }
        source.resume()
        sources.append(source)
    }
    return (stream, sources)
}

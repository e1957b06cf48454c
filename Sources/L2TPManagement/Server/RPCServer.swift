import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ONCRPC

#if canImport(Glibc)
    import Glibc
#endif

/// A listening ONC RPC server for one program over a stream transport: a Unix
/// socket (the default management path, no rpcbind needed) or TCP. UDP is
/// deliberately not offered: large replies need record marking (RFC 5531 11).
public final class RPCServer: Sendable {
    public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
        /// A Unix stream socket path, created with mode 0600.
        case unixSocket(path: String)
        /// TCP; `host` is "127.0.0.1" by default and "0.0.0.0" with `-R`.
        /// Port 0 picks an ephemeral port (registered with rpcbind).
        case tcp(host: String, port: Int)

        public var description: String {
            switch self {
            case .unixSocket(let path): path
            case .tcp(let host, let port): "\(host):\(port)"
            }
        }
    }

    public let endpoint: Endpoint
    /// The bound address (with the actual port for TCP port 0).
    public let localAddress: SocketAddress?
    private let channel: any Channel
    private let claim: UnixSocketClaim?
    private let connections: ConnectionRegistry
    private let closed = NIOLockedValueBox(false)

    private init(endpoint: Endpoint, channel: any Channel, claim: UnixSocketClaim?, connections: ConnectionRegistry) {
        self.endpoint = endpoint
        self.channel = channel
        self.claim = claim
        self.connections = connections
        self.localAddress = channel.localAddress
    }

    /// The TCP port actually bound, nil for a Unix socket.
    public var port: Int? {
        if case .tcp = endpoint { return localAddress?.port }
        return nil
    }

    /// Binds and starts serving `service`.
    /// - Parameter authorize: which callers may run procedures other than NULL;
    ///   see `ManagementAuthorization`.
    public static func start(
        service: any RPCService,
        endpoint: Endpoint,
        group: any EventLoopGroup,
        configuration: RPCServerConfiguration = .init(),
        authorize: @escaping RPCCallAcceptor.Authorization,
        logger: Logger = Logger(label: "openl2tp.management")
    ) async throws -> RPCServer {
        let acceptor = RPCCallAcceptor(service: service, authorize: authorize)
        let connections = ConnectionRegistry()
        let limit = configuration.maxConnections

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                guard connections.admit(channel, limit: limit) else {
                    logger.warning("management connection refused: \(limit) connections already open")
                    return channel.close()
                }
                return callerIdentity(of: channel, endpoint: endpoint).flatMapThrowing { caller in
                    let handler = RPCConnectionHandler(
                        acceptor: acceptor, caller: caller, configuration: configuration, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }

        switch endpoint {
        case .unixSocket(let path):
            let claim = try UnixSocketClaim.claim(path: path, serviceName: configuration.serviceName)
            do {
                let channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: false)
                    .get()
                claim.restrictPermissions()
                logger.info("management listening on \(path)")
                return RPCServer(endpoint: endpoint, channel: channel, claim: claim, connections: connections)
            } catch {
                claim.release()
                throw RPCServerError.bindFailed(path, underlying: error)
            }
        case .tcp(let host, let port):
            do {
                let channel =
                    try await bootstrap
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: host, port: port).get()
                logger.info("management listening on \(host):\(channel.localAddress?.port ?? port)/tcp")
                return RPCServer(endpoint: endpoint, channel: channel, claim: nil, connections: connections)
            } catch {
                throw RPCServerError.bindFailed("\(host):\(port)", underlying: error)
            }
        }
    }

    /// Stops listening, closes open connections and removes the Unix socket file.
    public func close() async {
        let first = closed.withLockedValue { wasClosed -> Bool in
            defer { wasClosed = true }
            return !wasClosed
        }
        guard first else { return }
        try? await channel.close()
        for connection in connections.all() {
            try? await connection.close()
        }
        claim?.release()
    }

    /// Open connections of one listener, for the connection limit and for
    /// closing them on shutdown.
    private final class ConnectionRegistry: Sendable {
        private let channels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

        func admit(_ channel: any Channel, limit: Int) -> Bool {
            let admitted = channels.withLockedValue { open -> Bool in
                guard open.count < limit else { return false }
                open[ObjectIdentifier(channel)] = channel
                return true
            }
            if admitted {
                channel.closeFuture.whenComplete { [channels] _ in
                    _ = channels.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
                }
            }
            return admitted
        }

        func all() -> [any Channel] {
            channels.withLockedValue { Array($0.values) }
        }
    }

    private static func callerIdentity(of channel: any Channel, endpoint: Endpoint) -> EventLoopFuture<RPCCaller> {
        switch endpoint {
        case .unixSocket(let path):
            return PeerCredentials.unixPeer(of: channel).map {
                RPCCaller(transport: .unixSocket, credentials: $0, address: path)
            }
        case .tcp:
            let remote = channel.remoteAddress
            let credentials = PeerCredentials.localTCPPeer(local: channel.localAddress, remote: remote)
            let address = remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
            return channel.eventLoop.makeSucceededFuture(
                RPCCaller(transport: .tcp, credentials: credentials, address: address))
        }
    }
}

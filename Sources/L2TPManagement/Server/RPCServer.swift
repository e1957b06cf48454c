#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ONCRPC

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
    private let closed = NIOLockedValueBox(false)

    private init(endpoint: Endpoint, channel: any Channel, claim: UnixSocketClaim?) {
        self.endpoint = endpoint
        self.channel = channel
        self.claim = claim
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
        let connections = NIOLockedValueBox(0)
        let limit = configuration.maxConnections

        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .childChannelInitializer { channel in
                let admitted = connections.withLockedValue { count -> Bool in
                    guard count < limit else { return false }
                    count += 1
                    return true
                }
                guard admitted else {
                    logger.warning("management connection refused: \(limit) connections already open")
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.withLockedValue { $0 -= 1 } }
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
                return RPCServer(endpoint: endpoint, channel: channel, claim: claim)
            } catch {
                claim.release()
                throw RPCServerError.bindFailed(path, underlying: error)
            }
        case .tcp(let host, let port):
            do {
                let channel = try await bootstrap
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: host, port: port).get()
                logger.info("management listening on \(host):\(channel.localAddress?.port ?? port)/tcp")
                return RPCServer(endpoint: endpoint, channel: channel, claim: nil)
            } catch {
                throw RPCServerError.bindFailed("\(host):\(port)", underlying: error)
            }
        }
    }

    /// Stops listening, closes the socket and removes the Unix socket file.
    /// Open connections end when their clients disconnect or time out.
    public func close() async {
        let first = closed.withLockedValue { wasClosed -> Bool in
            defer { wasClosed = true }
            return !wasClosed
        }
        guard first else { return }
        try? await channel.close()
        claim?.release()
    }

    private static func callerIdentity(of channel: any Channel, endpoint: Endpoint) -> EventLoopFuture<RPCCaller> {
        switch endpoint {
        case .unixSocket(let path):
            return PeerCredentials.unixPeer(of: channel).map {
                RPCCaller(transport: .unixSocket, credentials: $0, address: path)
            }
        case .tcp:
            let remote = channel.remoteAddress
            let credentials = PeerCredentials.loopbackTCPPeer(local: channel.localAddress, remote: remote)
            let address = remote.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
            return channel.eventLoop.makeSucceededFuture(
                RPCCaller(transport: .tcp, credentials: credentials, address: address))
        }
    }
}

import Logging
import NIOCore
import ONCRPC

/// Everything the daemon needs to serve management: the Unix socket (always),
/// TCP on 127.0.0.1 (or 0.0.0.0 with `-R`) registered with rpcbind when rpcbind
/// runs, and the matching authorization policy. ippoold uses the same type
/// with its own `RPCService` (program 300775) and socket path.
public final class ManagementServer: Sendable {
    public let unixServer: RPCServer
    public let tcpServer: RPCServer?
    public let registration: RPCBindRegistration?

    private init(unixServer: RPCServer, tcpServer: RPCServer?, registration: RPCBindRegistration?) {
        self.unixServer = unixServer
        self.tcpServer = tcpServer
        self.registration = registration
    }

    /// - Parameters:
    ///   - socketPath: the Unix socket; its directory is created if missing.
    ///   - enableTCP: also listen on TCP (needed by `l2tpconfig -R host` and rpcinfo).
    ///   - allowRemote: `-R`: TCP on 0.0.0.0, and peers on other hosts may manage.
    ///   - tcpPort: 0 for an ephemeral port, announced through rpcbind.
    public static func start(
        service: any RPCService,
        socketPath: String = ManagementClient.defaultSocketPath,
        enableTCP: Bool = true,
        allowRemote: Bool = false,
        tcpPort: Int = 0,
        group: any EventLoopGroup,
        configuration: RPCServerConfiguration = .init(),
        logger: Logger = Logger(label: "openl2tp.management")
    ) async throws -> ManagementServer {
        let authorize = ManagementAuthorization.localAdministrator(allowRemote: allowRemote)
        let unixServer = try await RPCServer.start(
            service: service, endpoint: .unixSocket(path: socketPath), group: group, configuration: configuration,
            authorize: authorize, logger: logger)
        guard enableTCP else { return ManagementServer(unixServer: unixServer, tcpServer: nil, registration: nil) }
        let host = allowRemote ? "0.0.0.0" : "127.0.0.1"
        let tcpServer: RPCServer
        do {
            tcpServer = try await RPCServer.start(
                service: service, endpoint: .tcp(host: host, port: tcpPort), group: group,
                configuration: configuration, authorize: authorize, logger: logger)
        } catch {
            await unixServer.close()
            throw error
        }
        let registration = await RPCBindRegistration.register(
            program: service.program, version: service.versions.upperBound, host: host, port: tcpServer.port ?? 0,
            logger: logger)
        return ManagementServer(unixServer: unixServer, tcpServer: tcpServer, registration: registration)
    }

    /// Serves openl2tpd's program 300773 with `handler`.
    public static func start(
        handler: any ManagementHandler,
        socketPath: String = ManagementClient.defaultSocketPath,
        enableTCP: Bool = true,
        allowRemote: Bool = false,
        tcpPort: Int = 0,
        group: any EventLoopGroup,
        configuration: RPCServerConfiguration = .init(),
        logger: Logger = Logger(label: "openl2tp.management")
    ) async throws -> ManagementServer {
        try await start(
            service: ManagementService(handler: handler), socketPath: socketPath, enableTCP: enableTCP,
            allowRemote: allowRemote, tcpPort: tcpPort, group: group, configuration: configuration, logger: logger)
    }

    /// Unregisters from rpcbind, stops listening and removes the socket file.
    public func shutdown() async {
        await registration?.unregister()
        await tcpServer?.close()
        await unixServer.close()
    }
}

import ONCRPC

/// The client l2tpconfig uses: connects to openl2tpd (Unix socket by default,
/// TCP with `-R host`) and calls program 300773 procedures.
public final class ManagementClient {
    /// The daemon's default management socket.
    public static let defaultSocketPath = "/run/openl2tpd/l2tpd.sock"

    private let connection: RPCBlockingClient
    public let timeout: Duration

    public var target: RPCBlockingClient.Target { connection.target }

    /// Connects over the Unix socket at `socketPath`.
    public init(socketPath: String = ManagementClient.defaultSocketPath, timeout: Duration = .seconds(30))
        throws(RPCClientError)
    {
        connection = try RPCBlockingClient(target: .unixSocket(path: socketPath), serviceName: "openl2tpd")
        self.timeout = timeout
    }

    /// Connects over TCP to `host` (the `-R host` option). `host` may carry
    /// an explicit `:port`; otherwise the port is asked from rpcbind on `host`.
    public init(remoteHost: String, timeout: Duration = .seconds(30)) throws(RPCClientError) {
        let host: String
        let port: Int
        if let colon = remoteHost.lastIndex(of: ":"), let explicit = Int(remoteHost[remoteHost.index(after: colon)...])
        {
            host = String(remoteHost[..<colon])
            port = explicit
        } else {
            host = remoteHost
            guard
                let registered = try PortmapperLookup.tcpPort(
                    host: host, program: L2TPManagementProtocol.program, version: L2TPManagementProtocol.version,
                    serviceName: "openl2tpd", timeout: .seconds(5))
            else {
                throw .notRegistered(serviceName: "openl2tpd", host: host, program: L2TPManagementProtocol.program)
            }
            port = registered
        }
        connection = try RPCBlockingClient(target: .tcp(host: host, port: port), serviceName: "openl2tpd")
        self.timeout = timeout
    }

    /// The NULL procedure: is the daemon there and speaking version 1?
    public func ping() throws(RPCClientError) {
        _ = try connection.call(
            program: L2TPManagementProtocol.program, version: L2TPManagementProtocol.version,
            procedure: ManagementProcedure.null.rawValue, timeout: timeout)
    }

    /// Calls `procedure` with `request`. A reply with a failure status is
    /// returned, not thrown: the CLI prints its message.
    public func call(_ procedure: ManagementProcedure, _ request: ManagementRequest = .init())
        throws(RPCClientError) -> ManagementReply
    {
        let results = try connection.call(
            program: L2TPManagementProtocol.program, version: L2TPManagementProtocol.version,
            procedure: procedure.rawValue, arguments: request.xdrBytes, timeout: timeout)
        do {
            return try ManagementReply(xdrBytes: results)
        } catch {
            throw .malformedReply(serviceName: "openl2tpd", detail: "\(error)")
        }
    }
}

import L2TPManagement

/// Something that performs management calls: the daemon over RPC, or a test
/// double. Failures to talk to the daemon at all are thrown; a reply with a
/// failure status is returned.
public protocol ManagementCalling: AnyObject {
    func call(_ procedure: ManagementProcedure, _ request: ManagementRequest) throws(CLIError) -> ManagementReply
}

/// The RPC connection to openl2tpd, opened on the first call (so a typo is
/// reported without a daemon) and opened again once if the daemon closed it
/// between interactive commands (e.g. after a restart).
public final class DaemonConnection: ManagementCalling {
    public enum Endpoint: Hashable, Sendable {
        case unixSocket(String)
        /// `host` or `host:port`; without a port rpcbind on the host is asked.
        case tcp(String)
    }

    public let endpoint: Endpoint
    public let timeout: Duration
    private var client: ManagementClient?

    public init(endpoint: Endpoint, timeout: Duration = .seconds(30)) {
        self.endpoint = endpoint
        self.timeout = timeout
    }

    public convenience init(options: CLIOptions) {
        if let host = options.remoteHost {
            self.init(endpoint: .tcp(host))
        } else if options.useTCP {
            self.init(endpoint: .tcp("127.0.0.1"))
        } else {
            self.init(endpoint: .unixSocket(options.socketPath))
        }
    }

    public func call(_ procedure: ManagementProcedure, _ request: ManagementRequest) throws(CLIError)
        -> ManagementReply
    {
        let reused = client != nil
        do {
            return try connected().call(procedure, request)
        } catch {
            client = nil
            // A connection kept from an earlier command may have been closed
            // by the daemon (idle timeout, restart): try once more, afresh.
            guard reused, error == .connectionClosed(serviceName: "", target: "") else {
                throw .unreachable(error)
            }
            do {
                return try connected().call(procedure, request)
            } catch {
                client = nil
                throw .unreachable(error)
            }
        }
    }

    private func connected() throws(RPCClientError) -> ManagementClient {
        if let client { return client }
        let fresh: ManagementClient
        switch endpoint {
        case .unixSocket(let path): fresh = try ManagementClient(socketPath: path, timeout: timeout)
        case .tcp(let host): fresh = try ManagementClient(remoteHost: host, timeout: timeout)
        }
        client = fresh
        return fresh
    }
}

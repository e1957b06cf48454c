import IPPool
import L2TPConfigCLI
import L2TPManagement

/// The RPC connection to ippoold, opened on the first call (a typo is
/// reported without a daemon) and once more if the daemon closed it.
final class PoolConnection {
    enum Endpoint {
        case unixSocket(String)
        case tcp(String)
    }

    let endpoint: Endpoint
    private var client: RPCBlockingClient?

    init(options: PoolCLIOptions) {
        if let host = options.remoteHost {
            endpoint = .tcp(host)
        } else if options.useTCP {
            endpoint = .tcp("127.0.0.1")
        } else {
            endpoint = .unixSocket(options.socketPath)
        }
    }

    func call(_ procedure: IPPoolProcedure, _ request: ManagementRequest) throws(CLIError) -> ManagementReply {
        let reused = client != nil
        do {
            return try attempt(procedure, request)
        } catch {
            client = nil
            guard reused, error == .connectionClosed(serviceName: "", target: "") else { throw .unreachable(error) }
            do {
                return try attempt(procedure, request)
            } catch {
                client = nil
                throw .unreachable(error)
            }
        }
    }

    private func attempt(_ procedure: IPPoolProcedure, _ request: ManagementRequest) throws(RPCClientError)
        -> ManagementReply
    {
        let results = try connected().call(
            program: IPPoolProcedure.program, version: IPPoolProcedure.version, procedure: procedure.rawValue,
            arguments: request.xdrBytes, timeout: .seconds(30))
        do {
            return try ManagementReply(xdrBytes: results)
        } catch {
            throw .malformedReply(serviceName: "ippoold", detail: "\(error)")
        }
    }

    private func connected() throws(RPCClientError) -> RPCBlockingClient {
        if let client { return client }
        let target: RPCBlockingClient.Target
        switch endpoint {
        case .unixSocket(let path):
            target = .unixSocket(path: path)
        case .tcp(let remote):
            if let colon = remote.lastIndex(of: ":"), let port = Int(remote[remote.index(after: colon)...]) {
                target = .tcp(host: String(remote[..<colon]), port: port)
            } else {
                guard
                    let port = try PortmapperLookup.tcpPort(
                        host: remote, program: IPPoolProcedure.program, version: IPPoolProcedure.version,
                        serviceName: "ippoold", timeout: .seconds(5))
                else { throw .notRegistered(serviceName: "ippoold", host: remote, program: IPPoolProcedure.program) }
                target = .tcp(host: remote, port: port)
            }
        }
        let fresh = try RPCBlockingClient(target: target, serviceName: "ippoold")
        client = fresh
        return fresh
    }
}

import ONCRPC

/// Asks the portmapper/rpcbind on a host for a program's TCP port
/// (RFC 1833 3: PMAPPROC_GETPORT, program 100000 version 2), over TCP since
/// management never uses UDP.
public enum PortmapperLookup {
    static let program: UInt32 = 100000
    static let version: UInt32 = 2
    static let getPortProcedure: UInt32 = 3
    static let tcpProtocol: UInt32 = 6

    /// The registered port, or nil when the program is not registered.
    public static func tcpPort(
        host: String, program: UInt32, version: UInt32, serviceName: String, timeout: Duration
    ) throws(RPCClientError) -> Int? {
        let rpcbind: RPCBlockingClient
        do {
            rpcbind = try RPCBlockingClient(
                target: .tcp(host: host, port: 111), serviceName: "rpcbind", connectTimeout: timeout)
        } catch {
            throw .cannotReach(serviceName: serviceName, target: host, reason: "\(error)")
        }
        var arguments = XDREncoder()
        arguments.encode(program)  // struct mapping { prog, vers, prot, port }
        arguments.encode(version)
        arguments.encode(tcpProtocol)
        arguments.encode(UInt32(0))
        let results = try rpcbind.call(
            program: Self.program, version: Self.version, procedure: getPortProcedure, arguments: arguments.bytes,
            timeout: timeout)
        guard let port = try? UInt32(xdrBytes: results) else {
            throw .malformedReply(serviceName: "rpcbind", detail: "GETPORT result is not one unsigned int")
        }
        return port == 0 ? nil : Int(port)
    }
}

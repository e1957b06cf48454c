import CTIRPC
import Logging
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Registers a TCP RPC service with the local rpcbind (RFC 1833) through
/// libtirpc, so `rpcinfo -p` lists it and clients can look up its port.
///
/// Registration is optional: the Unix socket needs no rpcbind. When rpcbind
/// does not answer, `register` logs one info line and returns nil instead of
/// letting libtirpc wait out its timeouts.
public final class RPCBindRegistration: Sendable {
    public let program: UInt32
    public let version: UInt32
    public let port: Int

    private init(program: UInt32, version: UInt32, port: Int) {
        self.program = program
        self.version = version
        self.port = port
    }

    /// Where rpcbind listens locally (libtirpc's `_PATH_RPCBINDSOCK`).
    public static let rpcbindSocketPath = "/var/run/rpcbind.sock"

    /// Whether rpcbind answers on its local socket or on 127.0.0.1:111.
    public static func isRPCBindRunning() -> Bool {
        isRPCBindRunning(socketPath: rpcbindSocketPath, tcpPort: 111)
    }

    static func isRPCBindRunning(socketPath: String, tcpPort: Int) -> Bool {
        if UnixSocketProbe.isListening(path: socketPath) { return true }
        return (try? BlockingSocket.connectTCP(host: "127.0.0.1", port: tcpPort, timeoutMilliseconds: 500)).map {
            $0.close()
            return true
        } ?? false
    }

    /// Maps `program`/`version` over "tcp" to `host:port` in rpcbind.
    /// - Parameter host: the bound address; "0.0.0.0" lets rpcbind substitute
    ///   the address each client reached it on.
    public static func register(
        program: UInt32, version: UInt32, host: String = "127.0.0.1", port: Int,
        logger: Logger = Logger(label: "openl2tp.management")
    ) async -> RPCBindRegistration? {
        await register(
            program: program, version: version, host: host, port: port, logger: logger,
            isRunning: { isRPCBindRunning() })
    }

    /// `isRunning` is injectable so tests can simulate a machine without rpcbind.
    static func register(
        program: UInt32, version: UInt32, host: String, port: Int, logger: Logger,
        isRunning: @escaping @Sendable () -> Bool
    ) async -> RPCBindRegistration? {
        let registered = try? await NIOThreadPool.singleton.runIfActive { () -> Bool in
            guard isRunning() else { return false }
            // An earlier instance that died may have left its mapping behind.
            _ = withTCPNetconfig { rpcb_unset(rpcprog_t(program), rpcvers_t(version), $0) }
            let universalAddress = "\(host).\(port >> 8).\(port & 0xff)"
            return withTCPNetconfig { netconfig -> Bool in
                guard let address = uaddr2taddr(netconfig, universalAddress) else { return false }
                defer {
                    free(address.pointee.buf)
                    free(address)
                }
                return rpcb_set(rpcprog_t(program), rpcvers_t(version), netconfig, address) != 0
            } ?? false
        }
        guard registered == true else {
            logger.info("rpcbind is not running: program \(program) TCP port \(port) not registered")
            return nil
        }
        logger.info("registered program \(program) version \(version) on tcp port \(port) with rpcbind")
        return RPCBindRegistration(program: program, version: version, port: port)
    }

    /// Removes the mapping (on shutdown), but only while it still names our
    /// port: rpcbind keeps one mapping per program and version, and a second
    /// daemon on the host (or a test beside us) may have registered since.
    public func unregister() async {
        let program = self.program
        let version = self.version
        let port = self.port
        _ = try? await NIOThreadPool.singleton.runIfActive {
            guard Self.isRPCBindRunning() else { return }
            guard Self.mappedTCPPort(program: program, version: version) == port else { return }
            _ = Self.withTCPNetconfig { rpcb_unset(rpcprog_t(program), rpcvers_t(version), $0) }
        }
    }

    /// The TCP port rpcbind on this host maps `program`/`version` to, if any.
    static func mappedTCPPort(program: UInt32, version: UInt32) -> Int? {
        withTCPNetconfig { netconfig -> Int? in
            var storage = sockaddr_storage()
            return withUnsafeMutableBytes(of: &storage) { bytes -> Int? in
                var address = netbuf(maxlen: UInt32(bytes.count), len: 0, buf: bytes.baseAddress)
                guard rpcb_getaddr(rpcprog_t(program), rpcvers_t(version), netconfig, &address, "127.0.0.1") != 0,
                    address.len >= 4
                else { return nil }
                // sockaddr_in / sockaddr_in6: the port follows the family, in network order.
                return Int(bytes[2]) << 8 | Int(bytes[3])
            }
        } ?? nil
    }

    private static func withTCPNetconfig<Result>(_ body: (UnsafeMutablePointer<netconfig>) -> Result) -> Result? {
        guard let netconfig = getnetconfigent("tcp") else { return nil }
        defer { freenetconfigent(netconfig) }
        return body(netconfig)
    }
}

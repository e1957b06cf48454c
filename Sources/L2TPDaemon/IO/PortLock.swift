#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Proof that this process is the only openl2tpd on a UDP port in this
/// network namespace.
///
/// The listener uses SO_REUSEADDR (tunnels with a fixed `our_udp_port` share
/// its port), so a second daemon's bind would succeed and the two would steal
/// each other's datagrams. An abstract Unix socket named after the port is
/// exclusive, scoped to the network namespace like the port, and released by
/// the kernel when the process dies, so no stale lock survives a crash.
public struct PortLock: Sendable {
    public let fd: Int32

    public static func acquire(port: UInt16) throws(DaemonError) -> PortLock {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket(AF_UNIX)", errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let name = Array("openl2tpd-udp-\(port)".utf8)
        // Abstract namespace: the path starts with a NUL byte.
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path[0] = 0
            for (i, byte) in name.enumerated() { path[i + 1] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + name.count)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) }
        }
        guard rc == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE { throw .portInUse(port) }
            throw .socket("bind(abstract lock for port \(port))", errno: code)
        }
        return PortLock(fd: fd)
    }

    public func release() { close(fd) }
}

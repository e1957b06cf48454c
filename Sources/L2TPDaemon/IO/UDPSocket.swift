#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A UDP socket the daemon creates itself (rather than letting NIO do it) so
/// that it controls every option the kernel's L2TP datapath cares about and
/// keeps the fd for TUNNEL_CREATE (docs/daemon.md, "Sockets").
///
/// - close-on-exec and non-blocking from creation: pppd must inherit nothing
///   but its session socket (kernel-l2tp.md);
/// - SO_REUSEADDR so a tunnel may share a fixed `our_udp_port` (e.g. 1701)
///   with the listener; never SO_REUSEPORT, which the kernel refuses for L2TP
///   tunnel sockets (EPROTONOSUPPORT).
public struct UDPSocket: Sendable {
    public let fd: Int32

    /// The address and port the socket is bound to (the port filled in when ephemeral).
    public let localAddress: IPv4SocketAddress

    /// Creates, configures and binds a socket. `port` 0 asks for an ephemeral port.
    public static func bind(_ address: IPv4SocketAddress, reuseAddress: Bool = true) throws(DaemonError) -> UDPSocket {
        let fd = socket(
            AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket(AF_INET, SOCK_DGRAM)", errno: errno) }
        do throws(DaemonError) {
            if reuseAddress {
                var one: Int32 = 1
                guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                    throw .socket("setsockopt(SO_REUSEADDR)", errno: errno)
                }
            }
            var sin = address.sockaddr
            let rc = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if rc != 0 {
                let code = errno
                if code == EADDRINUSE { throw .portInUse(address.port) }
                throw .socket("bind", errno: code, detail: address.description)
            }
            let local = try localName(fd)
            return UDPSocket(fd: fd, localAddress: local)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Connects the socket to the peer so that only its datagrams arrive here
    /// and the kernel can take over data packets (RFC 2661 8.1: the peer's
    /// port is only known from its first reply).
    public func connect(to peer: IPv4SocketAddress) throws(DaemonError) {
        try Self.connect(fd: fd, to: peer)
    }

    static func connect(fd: Int32, to peer: IPv4SocketAddress) throws(DaemonError) {
        var sin = peer.sockaddr
        let rc = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { throw .socket("connect", errno: errno, detail: peer.description) }
    }

    /// The local address the kernel would send from toward `peer` (a routing
    /// lookup through a throwaway connected socket), for sockets bound to
    /// 0.0.0.0: logs and the pcap trace show the real address.
    public static func sourceAddress(toward peer: IPv4SocketAddress) -> UInt32? {
        guard let probe = try? bind(IPv4SocketAddress(address: 0, port: 0), reuseAddress: false) else { return nil }
        defer { close(probe.fd) }
        guard (try? connect(fd: probe.fd, to: peer)) != nil, let local = try? localName(probe.fd) else { return nil }
        return local.address
    }

    /// The close-on-exec flag as the kernel reports it (tests check it).
    public var isCloseOnExec: Bool { fcntl(fd, F_GETFD) & FD_CLOEXEC != 0 }

    static func localName(_ fd: Int32) throws(DaemonError) -> IPv4SocketAddress {
        var sin = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw .socket("getsockname", errno: errno) }
        return IPv4SocketAddress(sin)
    }
}

/// An IPv4 address and port in host order, convertible to `sockaddr_in`.
public struct IPv4SocketAddress: Hashable, Sendable, CustomStringConvertible {
    /// Host byte order.
    public var address: UInt32
    public var port: UInt16

    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    public init?(_ dotted: String, port: UInt16) {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        self.init(address: value, port: port)
    }

    init(_ sin: sockaddr_in) {
        self.init(address: UInt32(bigEndian: sin.sin_addr.s_addr), port: UInt16(bigEndian: sin.sin_port))
    }

    /// Network-order octets, as `PeerAddress` keeps them.
    public var octets: [UInt8] {
        [UInt8(address >> 24), UInt8(address >> 16 & 0xFF), UInt8(address >> 8 & 0xFF), UInt8(address & 0xFF)]
    }

    public init?(octets: [UInt8], port: UInt16) {
        guard octets.count == 4 else { return nil }
        self.init(address: octets.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }, port: port)
    }

    var sockaddr: sockaddr_in {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = address.bigEndian
        return sin
    }

    public var isAny: Bool { address == 0 }

    public var dotted: String { octets.map(String.init).joined(separator: ".") }
    public var description: String { "\(dotted):\(port)" }
}

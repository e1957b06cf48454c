#if canImport(Glibc)
    import Glibc
#endif
import L2TPLoadGen
import NIOCore

/// A non-blocking IPv4 UDP socket bound to a chosen source address: what
/// lets one process speak from many addresses without raw sockets.
struct UDPSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ what: String, errno code: Int32 = errno) {
            description = "\(what): \(String(cString: strerror(code)))"
        }
    }

    /// An address and port, host byte order.
    struct Endpoint: Hashable {
        var address: UInt32
        var port: UInt16
    }

    let descriptor: Int32

    init(bindingTo source: UInt32, port: UInt16 = 0) throws(Failure) {
        let fd = socket(
            AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        var address = Self.socketAddress(Endpoint(address: source, port: port))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure("bind to \(IPv4.format(source)):\(port)", errno: code)
        }
        descriptor = fd
    }

    /// False when the datagram could not be sent (the error is not retried:
    /// the control channel's retransmission covers a lost datagram).
    func send(_ buffer: ByteBuffer, to peer: Endpoint) -> Bool {
        var address = Self.socketAddress(peer)
        let sent = buffer.withUnsafeReadableBytes { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == buffer.readableBytes
    }

    /// The next waiting datagram and its sender, nil when none waits.
    func receive() -> (ByteBuffer, Endpoint)? {
        var storage = [UInt8](repeating: 0, count: 4096)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = storage.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length)
                }
            }
        }
        guard count >= 0 else { return nil }
        let from = Endpoint(
            address: UInt32(bigEndian: address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port))
        return (ByteBuffer(bytes: storage[..<count]), from)
    }

    func close() { _ = Glibc.close(descriptor) }

    private static func socketAddress(_ endpoint: Endpoint) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        address.sin_addr.s_addr = endpoint.address.bigEndian
        return address
    }
}

/// Waits until one of the sockets is readable or `milliseconds` pass;
/// returns the indices of the readable ones.
func waitReadable(_ sockets: [UDPSocket], milliseconds: Int32) -> [Int] {
    var fds = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
    let ready = poll(&fds, nfds_t(fds.count), milliseconds)
    guard ready > 0 else { return [] }
    return fds.indices.filter { fds[$0].revents & Int16(POLLIN) != 0 }
}

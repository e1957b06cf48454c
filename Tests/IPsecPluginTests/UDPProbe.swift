import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plain IPv4 UDP sockets for checking what the kernel lets through. A socket
/// belongs to the network namespace of the thread that created it and may be
/// used from any thread afterwards.
final class UDPProbe: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32

    init(bindTo address: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = try Self.address(address, port)
        let status = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "bind \(address):\(port): \(text)")
        }
    }

    deinit { close(fd) }

    private static func address(_ text: String, _ port: UInt16) throws -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        guard inet_pton(AF_INET, text, &result.sin_addr) == 1 else { throw Failure(description: "bad address \(text)") }
        return result
    }

    /// Sends `payload`; a policy without an SA may drop it silently or fail the send.
    func send(_ payload: String, to address: String, port: UInt16) throws {
        var destination = try Self.address(address, port)
        let bytes = Array(payload.utf8)
        _ = withUnsafePointer(to: &destination) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                bytes.withUnsafeBytes {
                    sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram's payload, or nil if none arrives within `timeout` seconds.
    func receive(timeout: Double) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return count >= 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}

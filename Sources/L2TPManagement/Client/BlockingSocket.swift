#if canImport(Glibc)
    import Glibc
#endif

/// A plain blocking-style stream socket with deadlines, for the CLI client and
/// the rpcbind probe. Non-blocking underneath, waiting with poll(2), so every
/// operation honours its deadline.
struct BlockingSocket {
    enum Failure: Error {
        case system(operation: String, errno: Int32)
        case timedOut(operation: String)
        case unresolvable(host: String)

        var text: String {
            switch self {
            case .system(let operation, let code): "\(operation): \(errnoText(code))"
            case .timedOut(let operation): "\(operation) timed out"
            case .unresolvable(let host): "cannot resolve host \(host)"
            }
        }
    }

    let descriptor: Int32

    static func connectUnix(path: String) throws(Failure) -> BlockingSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system(operation: "socket", errno: errno) }
        guard UnixSocketProbe.connectUnix(descriptor, path: path) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw .system(operation: "connect", errno: code)
        }
        let socket = BlockingSocket(descriptor: descriptor)
        socket.setNonBlocking()
        return socket
    }

    static func connectTCP(host: String, port: Int, timeoutMilliseconds: Int) throws(Failure) -> BlockingSocket {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard let resolved = resolveIPv4(host) else { throw .unresolvable(host: host) }
        address.sin_addr = resolved
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system(operation: "socket", errno: errno) }
        let socket = BlockingSocket(descriptor: descriptor)
        socket.setNonBlocking()
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            guard errno == EINPROGRESS else {
                let code = errno
                socket.close()
                throw .system(operation: "connect", errno: code)
            }
            do {
                try socket.wait(for: Int16(POLLOUT), timeoutMilliseconds: timeoutMilliseconds, operation: "connect")
            } catch {
                socket.close()
                throw error
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &pending, &length)
            if pending != 0 {
                socket.close()
                throw .system(operation: "connect", errno: pending)
            }
        }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    func close() {
        Glibc.close(descriptor)
    }

    func sendAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                sent += count
            } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                try wait(
                    for: Int16(POLLOUT), timeoutMilliseconds: Self.milliseconds(until: deadline), operation: "send")
            } else {
                throw .system(operation: "send", errno: errno)
            }
        }
    }

    /// Up to `maximum` bytes; empty at end of stream.
    func receive(maximum: Int, deadline: ContinuousClock.Instant) throws(Failure) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 {
                buffer.removeSubrange(count...)
                return buffer
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else {
                throw .system(operation: "receive", errno: errno)
            }
            try wait(for: Int16(POLLIN), timeoutMilliseconds: Self.milliseconds(until: deadline), operation: "receive")
        }
    }

    /// True when the peer has closed the connection (EOF or error pending),
    /// checked without blocking and without consuming data.
    func peerHasClosed() -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) > 0 else { return false }
        if entry.revents & Int16(POLLHUP | POLLERR) != 0 { return true }
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    // MARK: - Helpers

    private func setNonBlocking() {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    }

    private func wait(for events: Int16, timeoutMilliseconds: Int, operation: String) throws(Failure) {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while true {
            let remaining = Self.milliseconds(until: deadline)
            let result = poll(&entry, 1, Int32(clamping: remaining))
            if result > 0 { return }
            if result == 0 || remaining <= 0 { throw .timedOut(operation: operation) }
            if errno != EINTR { throw .system(operation: "poll", errno: errno) }
        }
    }

    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let (seconds, attoseconds) = remaining.components
        return max(0, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func resolveIPv4(_ host: String) -> in_addr? {
        var address = in_addr()
        if inet_pton(AF_INET, host, &address) == 1 { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &results) == 0, let first = results else { return nil }
        defer { freeaddrinfo(results) }
        return first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
    }
}

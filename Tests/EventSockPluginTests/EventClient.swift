import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A test client of the event socket (docs/event_sock.md), with timeouts.
final class EventClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A 16-byte binary frame, decoded.
    struct Frame: Hashable, CustomStringConvertible {
        var type: UInt16
        var flags: UInt16 = 0
        var mask: UInt32
        var tunnelID: UInt16 = 0
        var sessionID: UInt16 = 0
        var peerTunnelID: UInt16 = 0
        var peerSessionID: UInt16 = 0

        static func event(
            _ bit: UInt32, _ tunnel: UInt16, _ session: UInt16, _ peerTunnel: UInt16, _ peerSession: UInt16
        )
            -> Frame
        {
            Frame(
                type: 2, mask: bit, tunnelID: tunnel, sessionID: session, peerTunnelID: peerTunnel,
                peerSessionID: peerSession)
        }

        var bytes: [UInt8] {
            func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
            return be16(type) + be16(flags) + be16(UInt16(mask >> 16)) + be16(UInt16(mask & 0xffff))
                + be16(tunnelID) + be16(sessionID) + be16(peerTunnelID) + be16(peerSessionID)
        }

        init(
            type: UInt16, flags: UInt16 = 0, mask: UInt32, tunnelID: UInt16 = 0, sessionID: UInt16 = 0,
            peerTunnelID: UInt16 = 0, peerSessionID: UInt16 = 0
        ) {
            self.type = type
            self.flags = flags
            self.mask = mask
            self.tunnelID = tunnelID
            self.sessionID = sessionID
            self.peerTunnelID = peerTunnelID
            self.peerSessionID = peerSessionID
        }

        init(_ b: ArraySlice<UInt8>) {
            let b = Array(b)
            func u16(_ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
            self.init(
                type: u16(0), flags: u16(2), mask: UInt32(u16(4)) << 16 | UInt32(u16(6)), tunnelID: u16(8),
                sessionID: u16(10), peerTunnelID: u16(12), peerSessionID: u16(14))
        }

        var description: String {
            "frame(type \(type) flags \(flags) mask \(mask) t \(tunnelID) s \(sessionID) pt \(peerTunnelID) ps \(peerSessionID))"
        }
    }

    private(set) var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var closedByServer = false

    init(path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            Glibc.close(fd)
            throw Failure(description: "connect \(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
    }

    deinit { disconnect() }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    func send(_ bytes: [UInt8]) throws {
        let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure(description: "send: \(errno)") }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads what is available within `timeout`; false on timeout or EOF.
    @discardableResult
    private func fill(timeout: Double) -> Bool {
        guard !closedByServer else { return false }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else {
            closedByServer = true
            return false
        }
        buffer += chunk[..<count]
        return true
    }

    func frame(timeout: Double = 5) -> Frame? {
        let deadline = Date().addingTimeInterval(timeout)
        while buffer.count < 16 {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, fill(timeout: left) else { return nil }
        }
        defer { buffer.removeFirst(16) }
        return Frame(buffer[0..<16])
    }

    func line(timeout: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while !buffer.contains(UInt8(ascii: "\n")) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, fill(timeout: left) else { return nil }
        }
        let end = buffer.firstIndex(of: UInt8(ascii: "\n"))!
        defer { buffer.removeFirst(end + 1) }
        return String(decoding: buffer[..<end], as: UTF8.self)
    }

    /// True when the server closes the connection within `timeout` (data before is discarded).
    func closes(within timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !closedByServer && deadline.timeIntervalSinceNow > 0 {
            fill(timeout: deadline.timeIntervalSinceNow)
            buffer.removeAll()
        }
        return closedByServer
    }

    /// Binary subscription; returns the server's acknowledgement frame.
    func subscribe(mask: UInt32, json: Bool = false) throws -> Frame? {
        try send(Frame(type: 1, flags: json ? 1 : 0, mask: mask).bytes)
        return json ? nil : frame()
    }

    static func json(_ line: String?) -> [String: Any]? {
        guard let line, let data = line.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

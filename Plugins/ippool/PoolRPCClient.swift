// The plugin's own small client for ippoold (program 300775): one blocking
// call at a time over the Unix socket, with a deadline. No NIO in the plugin:
// openl2tpd already links it, and two copies in one process help nobody.
import ONCRPC

#if canImport(Glibc)
    import Glibc
#endif

/// What ippoold answered: status (0 or -errno), message, and for
/// ADDRESS_ALLOCATE the address.
struct PoolRPCAnswer {
    var status: Int32
    var message: String
    var address: UInt32?
}

/// Why a call did not get an answer; `text` is logged as is.
struct PoolRPCFailure: Error {
    var text: String
}

struct PoolRPCClient {
    let socketPath: String
    let timeoutMilliseconds: Int32

    /// Calls `procedure` with `name=value` parameters (`ippool_request`)
    /// and decodes `ippool_reply`. Connects per call: allocations are rare
    /// and a fresh connection survives an ippoold restart.
    func call(_ procedure: IPPoolProcedure, _ parameters: [(String, String)]) throws(PoolRPCFailure)
        -> PoolRPCAnswer
    {
        var arguments = XDREncoder()
        arguments.encode(UInt32(parameters.count))
        for (name, value) in parameters {
            arguments.encode(name)
            arguments.encode(value)
        }
        let xid = UInt32.random(in: 1...UInt32.max)
        let call = RPCCall(
            program: IPPoolProcedure.program, version: IPPoolProcedure.version, procedure: procedure.rawValue,
            credential: .none, arguments: arguments.bytes)
        let request = RecordMarkingEncoder().frame(RPCMessage.call(xid: xid, call).xdrBytes)
        let record = try exchange(request)
        let message: RPCMessage
        do {
            message = try RPCMessage(record: record)
        } catch {
            throw PoolRPCFailure(text: "malformed reply from ippoold: \(error)")
        }
        guard message.xid == xid, case .reply(let reply) = message.body else {
            throw PoolRPCFailure(text: "unexpected message from ippoold")
        }
        guard case .accepted(_, .success(let results)) = reply else {
            throw PoolRPCFailure(text: "ippoold did not accept the call: \(reply)")
        }
        do {
            return try Self.decode(results)
        } catch {
            throw PoolRPCFailure(text: "malformed reply from ippoold: \(error)")
        }
    }

    /// `ippool_reply`: status, message, records of (kind, fields of
    /// (name, typed value)); the first `ipv4` field named `addr` is kept.
    static func decode(_ bytes: [UInt8]) throws -> PoolRPCAnswer {
        var decoder = XDRDecoder(bytes)
        var answer = PoolRPCAnswer(
            status: try decoder.decodeInt32(), message: try decoder.decodeString(maxLength: 4096))
        let records = try decoder.decodeUInt32()
        guard records <= 1024 else { throw PoolRPCFailure(text: "\(records) records") }
        for _ in 0..<records {
            _ = try decoder.decodeString(maxLength: 256)
            let fields = try decoder.decodeUInt32()
            guard fields <= 1024 else { throw PoolRPCFailure(text: "\(fields) fields") }
            for _ in 0..<fields {
                let name = try decoder.decodeString(maxLength: 256)
                switch try decoder.decodeUInt32() {
                case 0: break
                case 1: _ = try decoder.decodeString(maxLength: 1 << 20)
                case 2: _ = try decoder.decodeInt64()
                case 3: _ = try decoder.decodeUInt64()
                case 4: _ = try decoder.decodeBool()
                case 5:
                    let value = try decoder.decodeUInt32()
                    if name == "addr", answer.address == nil { answer.address = value }
                case let other: throw PoolRPCFailure(text: "unknown value type \(other)")
                }
            }
        }
        return answer
    }

    // MARK: - Socket

    private func exchange(_ request: [UInt8]) throws(PoolRPCFailure) -> [UInt8] {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMilliseconds))
        let fd = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw PoolRPCFailure(text: "cannot reach ippoold at \(socketPath): path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected != 0 {
            guard errno == EINPROGRESS || errno == EAGAIN else { throw failure("connect") }
            try wait(fd, for: Int16(POLLOUT), until: deadline)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 {
                errno = error
                throw failure("connect")
            }
        }
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
            } else if n < 0, errno == EAGAIN || errno == EINTR {
                try wait(fd, for: Int16(POLLOUT), until: deadline)
            } else {
                throw failure("send")
            }
        }
        var decoder = RecordMarkingDecoder(maxRecordSize: 1 << 20)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            do {
                if let record = try decoder.nextRecord() { return record }
            } catch {
                throw PoolRPCFailure(text: "reply from ippoold too large")
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                decoder.feed(buffer[..<n])
            } else if n == 0 {
                throw PoolRPCFailure(text: "ippoold at \(socketPath) closed the connection before replying")
            } else if errno == EAGAIN || errno == EINTR {
                try wait(fd, for: Int16(POLLIN), until: deadline)
            } else {
                throw failure("recv")
            }
        }
    }

    private func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant) throws(PoolRPCFailure) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = Int32(
                max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            if left <= .zero {
                throw PoolRPCFailure(
                    text: "ippoold at \(socketPath) did not answer within \(timeoutMilliseconds) ms")
            }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, max(milliseconds, 1))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw failure("poll") }
        }
    }

    private func failure(_ operation: String) -> PoolRPCFailure {
        PoolRPCFailure(text: "cannot reach ippoold at \(socketPath): \(operation): \(String(cString: strerror(errno)))")
    }
}

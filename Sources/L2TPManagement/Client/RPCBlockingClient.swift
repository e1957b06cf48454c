import ONCRPC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A synchronous ONC RPC client over a stream socket, for command-line tools:
/// no event loop, one call at a time, every call bounded by a timeout.
public final class RPCBlockingClient {
    public enum Target: Hashable, Sendable, CustomStringConvertible {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)

        public var description: String {
            switch self {
            case .unixSocket(let path): path
            case .tcp(let host, let port): "\(host):\(port)"
            }
        }
    }

    public let target: Target
    public let serviceName: String
    /// Largest reply record accepted (a list of 65,535 sessions is tens of MB).
    public let maxReplySize: Int
    private let connectTimeout: Duration
    private var socket: BlockingSocket
    private var decoder: RecordMarkingDecoder
    private var nextXID: UInt32
    /// The current connection has answered a call: idle now, it is one the
    /// server may close at any moment.
    private var connectionHasAnswered = false
    /// Some of the reply to the call in progress has arrived.
    private var replyStarted = false

    /// Connects now, so an absent daemon is reported once, plainly:
    /// "cannot reach openl2tpd at /run/openl2tpd/l2tpd.sock: ...".
    public init(
        target: Target, serviceName: String, connectTimeout: Duration = .seconds(5),
        maxReplySize: Int = 256 << 20
    ) throws(RPCClientError) {
        self.target = target
        self.serviceName = serviceName
        self.maxReplySize = maxReplySize
        self.connectTimeout = connectTimeout
        socket = try Self.connect(target, serviceName: serviceName, timeout: connectTimeout)
        decoder = RecordMarkingDecoder(maxRecordSize: maxReplySize)
        nextXID = UInt32.random(in: 1...UInt32.max)
    }

    deinit {
        socket.close()
    }

    private static func connect(_ target: Target, serviceName: String, timeout: Duration) throws(RPCClientError)
        -> BlockingSocket
    {
        do {
            switch target {
            case .unixSocket(let path):
                return try BlockingSocket.connectUnix(path: path)
            case .tcp(let host, let port):
                let milliseconds =
                    Int(timeout.components.seconds * 1000)
                    + Int(timeout.components.attoseconds / 1_000_000_000_000_000)
                return try BlockingSocket.connectTCP(host: host, port: port, timeoutMilliseconds: milliseconds)
            }
        } catch {
            throw .cannotReach(serviceName: serviceName, target: target.description, reason: error.text)
        }
    }

    /// The server closes idle connections (an interactive l2tpconfig may sit
    /// at its prompt for hours). Reconnect before sending, never after: a
    /// request that was sent is not repeated, so a create never runs twice.
    private func reconnectIfClosed() throws(RPCClientError) {
        guard socket.peerHasClosed() else { return }
        try reconnect()
    }

    private func reconnect() throws(RPCClientError) {
        socket.close()
        socket = try Self.connect(target, serviceName: serviceName, timeout: connectTimeout)
        decoder = RecordMarkingDecoder(maxRecordSize: maxReplySize)
        connectionHasAnswered = false
    }

    /// Calls `procedure` and returns the XDR-encoded results of a SUCCESS reply;
    /// any other outcome throws an `RPCClientError` that says what went wrong.
    public func call(
        program: UInt32, version: UInt32, procedure: UInt32, arguments: [UInt8] = [],
        credential: RPCOpaqueAuth = .none, timeout: Duration = .seconds(30)
    ) throws(RPCClientError) -> [UInt8] {
        try reconnectIfClosed()
        let reused = connectionHasAnswered
        do {
            return try exchange(
                program: program, version: version, procedure: procedure, arguments: arguments,
                credential: credential, timeout: timeout)
        } catch let error where reused && !replyStarted && error.isConnectionClosed {
            // The server's idle close crossed our request: it closed a
            // connection it saw idle, so it never read the request (it would
            // have reset its idle timer). Sent once more, on a new connection.
            try reconnect()
            return try exchange(
                program: program, version: version, procedure: procedure, arguments: arguments,
                credential: credential, timeout: timeout)
        }
    }

    private func exchange(
        program: UInt32, version: UInt32, procedure: UInt32, arguments: [UInt8], credential: RPCOpaqueAuth,
        timeout: Duration
    ) throws(RPCClientError) -> [UInt8] {
        replyStarted = false
        let xid = nextXID
        nextXID &+= 1
        let call = RPCCall(
            program: program, version: version, procedure: procedure, credential: credential, arguments: arguments)
        let framed = RecordMarkingEncoder().frame(RPCMessage.call(xid: xid, call).xdrBytes)
        let deadline = ContinuousClock.now + timeout
        do {
            try socket.sendAll(framed, deadline: deadline)
            while true {
                let record = try receiveRecord(deadline: deadline, timeout: timeout)
                let message: RPCMessage
                do {
                    message = try RPCMessage(record: record)
                } catch {
                    throw RPCClientError.malformedReply(serviceName: serviceName, detail: "\(error)")
                }
                guard message.xid == xid, case .reply(let reply) = message.body else { continue }
                switch reply {
                case .accepted(_, .success(let results)):
                    connectionHasAnswered = true
                    return results
                case .accepted(_, let status):
                    throw RPCClientError.notAccepted(
                        serviceName: serviceName, program: program, version: version, procedure: procedure, status)
                case .denied(let status):
                    throw RPCClientError.denied(serviceName: serviceName, status)
                }
            }
        } catch let error as RPCClientError {
            throw error
        } catch let error as BlockingSocket.Failure {
            if case .timedOut = error {
                let seconds =
                    Double(timeout.components.seconds)
                    + Double(timeout.components.attoseconds) / 1e18
                throw .timedOut(serviceName: serviceName, target: target.description, seconds: seconds)
            }
            if case .system(_, let code) = error, code == ECONNRESET || code == EPIPE {
                throw .connectionClosed(serviceName: serviceName, target: target.description)
            }
            throw .cannotReach(serviceName: serviceName, target: target.description, reason: error.text)
        } catch {
            throw .malformedReply(serviceName: serviceName, detail: "\(error)")
        }
    }

    private func receiveRecord(deadline: ContinuousClock.Instant, timeout: Duration) throws -> [UInt8] {
        while true {
            do {
                if let record = try decoder.nextRecord() { return record }
            } catch {
                throw RPCClientError.replyTooLarge(serviceName: serviceName, limit: maxReplySize)
            }
            let bytes = try socket.receive(maximum: 256 << 10, deadline: deadline)
            if bytes.isEmpty {
                throw RPCClientError.connectionClosed(serviceName: serviceName, target: target.description)
            }
            replyStarted = true
            decoder.feed(bytes)
        }
    }
}

import Foundation
import NIOCore
import NIOPosix
import ONCRPC
import Testing

@testable import L2TPManagement

/// A fresh directory under /tmp for one test's sockets.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/l2tp-rpc-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    return path
}

/// Short limits so timeout tests run in well under a second each.
func fastConfiguration(
    idle: TimeAmount = .milliseconds(800), request: TimeAmount = .milliseconds(300), maxConnections: Int = 8
) -> RPCServerConfiguration {
    RPCServerConfiguration(idleTimeout: idle, requestTimeout: request, maxConnections: maxConnections)
}

func startServer(
    _ endpoint: RPCServer.Endpoint, handler: TestManagementHandler = TestManagementHandler(),
    configuration: RPCServerConfiguration = fastConfiguration(),
    authorize: @escaping RPCCallAcceptor.Authorization = ManagementAuthorization.localAdministrator(
        allowRemote: false)
) async throws -> RPCServer {
    try await RPCServer.start(
        service: ManagementService(handler: handler), endpoint: endpoint,
        group: MultiThreadedEventLoopGroup.singleton, configuration: configuration, authorize: authorize)
}

/// A hand-driven connection for sending malformed or partial input.
struct RawConnection {
    let socket: BlockingSocket

    init(unixPath: String) throws {
        socket = try BlockingSocket.connectUnix(path: unixPath)
    }

    init(tcpPort: Int) throws {
        socket = try BlockingSocket.connectTCP(host: "127.0.0.1", port: tcpPort, timeoutMilliseconds: 2000)
    }

    func close() { socket.close() }

    func send(_ bytes: [UInt8]) throws {
        try socket.sendAll(bytes, deadline: .now + .seconds(5))
    }

    func sendCall(_ call: RPCCall, xid: UInt32 = 1) throws {
        try send(RecordMarkingEncoder().frame(RPCMessage.call(xid: xid, call).xdrBytes))
    }

    /// The next reply record, or nil when the server closed the connection.
    func readRecord(timeout: Duration = .seconds(5)) throws -> [UInt8]? {
        var decoder = RecordMarkingDecoder(maxRecordSize: 64 << 20)
        let deadline = ContinuousClock.now + timeout
        while true {
            if let record = try decoder.nextRecord() { return record }
            let bytes = try socket.receive(maximum: 65536, deadline: deadline)
            if bytes.isEmpty { return nil }
            decoder.feed(bytes)
        }
    }

    func readBytes(_ count: Int, timeout: Duration = .seconds(5)) throws -> [UInt8] {
        var out: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while out.count < count {
            let bytes = try socket.receive(maximum: count - out.count, deadline: deadline)
            if bytes.isEmpty { break }
            out += bytes
        }
        return out
    }

    /// Whether the server closes the connection within `timeout`.
    func closedByServer(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                if try socket.receive(maximum: 65536, deadline: deadline).isEmpty { return true }
            } catch .system(_, let code) where code == ECONNRESET {
                return true
            } catch {
                return false
            }
        }
    }
}

func decodeReply(_ record: [UInt8]?) throws -> RPCReply? {
    guard let record, case .reply(let reply) = try RPCMessage(record: record).body else { return nil }
    return reply
}

/// Runs blocking socket or process work on its own thread. The client under
/// test blocks in poll(2); doing that on Swift's cooperative pool (two threads
/// here) would starve the server's handler tasks and deadlock parallel tests.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

import Foundation
import ONCRPC
import Testing

@testable import L2TPManagement

#if canImport(Glibc)
    import Glibc
#endif

/// The server closes idle connections; a request sent just as it does so
/// meets a closed connection. These tests script that race exactly with a
/// server of their own, instead of hoping a timer fires at the right moment.
@Suite struct RPCBlockingClientRaceTests {
    /// A Unix-socket server that plays one script per accepted connection:
    /// for each call it either answers with the call's procedure number as
    /// the result, or closes the connection with the call unread.
    final class ScriptedServer: @unchecked Sendable {
        enum Step { case answer, closeUnread }
        let path: String
        let listener: Int32
        private let lock = NSLock()
        private var _connections = 0
        private var _answered: [UInt32] = []
        var connections: Int { lock.withLock { _connections } }
        var answered: [UInt32] { lock.withLock { _answered } }

        init(scripts: [[Step]]) throws {
            path = NSTemporaryDirectory() + "rpc-race-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
            listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard bound == 0, listen(listener, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
            Thread.detachNewThread { [self] in
                for script in scripts {
                    let connection = accept(listener, nil, nil)
                    guard connection >= 0 else { return }
                    lock.withLock { _connections += 1 }
                    play(script, on: connection)
                    close(connection)
                }
            }
        }

        private func play(_ script: [Step], on connection: Int32) {
            var decoder = RecordMarkingDecoder(maxRecordSize: 1 << 16)
            for step in script {
                // Wait until a whole call has arrived, then act on it.
                var record: [UInt8]?
                while record == nil {
                    record = try? decoder.nextRecord()
                    if record != nil { break }
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    // MSG_PEEK first for closeUnread: the bytes must stay unread.
                    let count = recv(connection, &buffer, buffer.count, step == .closeUnread ? Int32(MSG_PEEK) : 0)
                    guard count > 0 else { return }
                    if step == .closeUnread { return }  // the call is there, unread: close now
                    decoder.feed(Array(buffer[..<count]))
                }
                guard let record, let message = try? RPCMessage(record: record), case .call(let call) = message.body
                else { return }
                var encoder = XDREncoder()
                encoder.encode(call.procedure)
                let reply = RPCMessage.reply(xid: message.xid, .accepted(.success(results: encoder.bytes)))
                let framed = RecordMarkingEncoder().frame(reply.xdrBytes)
                _ = framed.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                lock.withLock { _answered.append(call.procedure) }
            }
            // Keep the connection open until the client goes.
            var byte: UInt8 = 0
            _ = recv(connection, &byte, 1, 0)
        }

        deinit {
            close(listener)
            unlink(path)
        }
    }

    @Test func aCallThatMeetsTheIdleCloseIsSentAgainOnANewConnection() async throws {
        let server = try ScriptedServer(scripts: [[.answer, .closeUnread], [.answer]])
        let results = try await blocking { () throws -> ([UInt8], [UInt8]) in
            let client = try RPCBlockingClient(target: .unixSocket(path: server.path), serviceName: "openl2tpd")
            let first = try client.call(program: 300773, version: 1, procedure: 7, timeout: .seconds(10))
            let second = try client.call(program: 300773, version: 1, procedure: 8, timeout: .seconds(10))
            return (first, second)
        }
        #expect(results.0 == [0, 0, 0, 7])
        #expect(results.1 == [0, 0, 0, 8])
        #expect(server.connections == 2)
        #expect(server.answered == [7, 8], "the unread call ran once, on the new connection")
    }

    /// On a connection that never answered, a close before the reply may mean
    /// the server died running the call: it is reported, never repeated.
    @Test func aCloseOnAFreshConnectionIsReportedNotRepeated() async throws {
        let server = try ScriptedServer(scripts: [[.closeUnread], [.answer]])
        let outcome = try await blocking { () -> String in
            let client = try RPCBlockingClient(target: .unixSocket(path: server.path), serviceName: "openl2tpd")
            do {
                _ = try client.call(program: 300773, version: 1, procedure: 9, timeout: .seconds(10))
                return "answered"
            } catch {
                return "\(error)"
            }
        }
        #expect(outcome.contains("closed the connection before replying"), "\(outcome)")
        #expect(server.connections == 1)
        #expect(server.answered.isEmpty)
    }
}

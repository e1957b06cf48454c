import Foundation
import NIOCore
import ONCRPC
import Testing

@testable import L2TPManagement

@Suite(.serialized) struct RPCServerTests {
    // MARK: - Serving

    @Test func unixSocketServesNullAndRealProcedures() async throws {
        let path = makeTemporaryDirectory() + "/run/openl2tpd/l2tpd.sock"
        let handler = TestManagementHandler()
        let server = try await startServer(.unixSocket(path: path), handler: handler)

        let (created, shown, missing) = try await blocking {
            let client = try ManagementClient(socketPath: path)
            try client.ping()
            let created = try client.call(.tunnelCreate, ["dest_ipaddr": "192.0.2.1", "tunnel_name": "one"])
            let shown = try client.call(.tunnelGet, ["tunnel_id": "1"])
            let missing = try client.call(.tunnelCreate, ["tunnel_name": "two"])
            return (created, shown, missing)
        }
        #expect(created.status == .ok)
        #expect(created.records.first?["tunnel_id"] == .uint(1))
        #expect(shown.records.first?["tunnel_name"] == .string("one"))
        #expect(missing.status == .missingParameter)
        #expect(missing.message == "dest_ipaddr: required")

        let callers = await handler.state.callers
        #expect(callers.first?.transport == .unixSocket)
        #expect(callers.first?.credentials?.uid == geteuid())
        #expect(callers.first?.credentials?.pid == getpid())
        await server.close()
    }

    @Test func loopbackTCPServesAndIdentifiesThePeer() async throws {
        let handler = TestManagementHandler()
        let server = try await startServer(.tcp(host: "127.0.0.1", port: 0), handler: handler)
        let port = try #require(server.port)
        let reply = try await blocking {
            let client = try ManagementClient(remoteHost: "127.0.0.1:\(port)")
            try client.ping()
            return try client.call(.appInfoGet)
        }
        #expect(reply.records.first?["procedure"] == .string("L2TP_APP_INFO_GET"))
        let callers = await handler.state.callers
        #expect(callers.first?.transport == .tcp)
        // Owner of the client's socket from /proc/net/tcp, not a claim.
        #expect(callers.first?.credentials?.uid == geteuid())
        await server.close()
    }

    @Test func replyWith65535RecordsCrossesInSeveralFragments() async throws {
        let handler = TestManagementHandler()
        await handler.state.setSessionListSize(65535)
        let server = try await startServer(.tcp(host: "127.0.0.1", port: 0), handler: handler)
        let port = try #require(server.port)

        let reply = try await blocking {
            try ManagementClient(remoteHost: "127.0.0.1:\(port)").call(.sessionList, ["tunnel_id": "1"])
        }
        #expect(reply.records.count == 65535)
        #expect(reply.records.last?["session_id"] == .uint(65535))

        // On the wire the first fragment header must not be the last one.
        let header = try await blocking {
            let raw = try RawConnection(tcpPort: port)
            defer { raw.close() }
            try raw.sendCall(
                RPCCall(
                    program: 300773, version: 1, procedure: ManagementProcedure.sessionList.rawValue,
                    arguments: ManagementRequest().xdrBytes))
            return try raw.readBytes(4)
        }
        #expect(header.count == 4 && header[0] & 0x80 == 0)
        await server.close()
    }

    // MARK: - RPC-level rejections

    @Test func wrongVersionProcedureAndProgramGetProperRejects() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(.unixSocket(path: path))
        let cases: [(UInt32, UInt32, UInt32, [UInt8], String)] = [
            (300773, 2, 0, [], "openl2tpd serves program 300773 versions 1...1, not 2"),
            (300773, 1, 7, [], "openl2tpd has no procedure 7 in program 300773 version 1"),
            (300775, 1, 0, [], "openl2tpd does not serve program 300775"),
            (300773, 1, 10, [0, 0, 0, 9], "openl2tpd could not decode the arguments of procedure 10"),
        ]
        let messages = try await blocking {
            let client = try RPCBlockingClient(target: .unixSocket(path: path), serviceName: "openl2tpd")
            return cases.map { program, version, procedure, arguments, _ in
                do {
                    _ = try client.call(
                        program: program, version: version, procedure: procedure, arguments: arguments)
                    return "succeeded"
                } catch {
                    return "\(error)"
                }
            }
        }
        #expect(messages == cases.map(\.4))

        let record = try await blocking {
            let raw = try RawConnection(unixPath: path)
            defer { raw.close() }
            try raw.sendCall(RPCCall(rpcVersion: 3, program: 300773, version: 1, procedure: 0), xid: 99)
            return try raw.readRecord()
        }
        #expect(try decodeReply(record) == .denied(.rpcMismatch(low: 2, high: 2)))
        await server.close()
    }

    @Test func unauthorizedPeerIsRefusedButMayPing() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(.unixSocket(path: path), authorize: { _ in false })
        let message = try await blocking { () -> String in
            let client = try ManagementClient(socketPath: path)
            try client.ping()
            do {
                _ = try client.call(.tunnelList)
                return "succeeded"
            } catch {
                return "\(error)"
            }
        }
        #expect(message.hasPrefix("openl2tpd refused the request: AUTH_TOOWEAK"))
        await server.close()
    }

    @Test func authorizationPolicyTrustsOnlyKernelIdentity() {
        let policy = ManagementAuthorization.localAdministrator(allowRemote: false)
        let remotePolicy = ManagementAuthorization.localAdministrator(allowRemote: true)
        let root = RPCCaller(transport: .unixSocket, credentials: .init(pid: 1, uid: 0, gid: 0), address: "s")
        let own = RPCCaller(transport: .unixSocket, credentials: .init(pid: 1, uid: geteuid(), gid: 0), address: "s")
        let other = RPCCaller(
            transport: .unixSocket, credentials: .init(pid: 1, uid: 4242, gid: 4242), address: "s")
        let unknownLocal = RPCCaller(transport: .tcp, credentials: nil, address: "127.0.0.1:4000")
        let remote = RPCCaller(transport: .tcp, credentials: nil, address: "198.51.100.7:4000")
        #expect(policy(root) && policy(own))
        #expect(!policy(other) || geteuid() == 4242)
        #expect(!policy(unknownLocal) && !remotePolicy(unknownLocal))
        #expect(!policy(remote) && remotePolicy(remote))
    }

    // MARK: - Hostile clients

    @Test func garbageRecordClosesOnlyThatConnection() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(.unixSocket(path: path))
        let closed = try await blocking {
            let raw = try RawConnection(unixPath: path)
            defer { raw.close() }
            try raw.send(RecordMarkingEncoder().frame([0xde, 0xad]))
            let closed = raw.closedByServer(within: .seconds(2))
            try ManagementClient(socketPath: path).ping()
            return closed
        }
        #expect(closed)
        await server.close()
    }

    @Test func halfRequestTimesOutWhileOthersAreServed() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(
            .unixSocket(path: path), configuration: fastConfiguration(idle: .seconds(30), request: .milliseconds(400)))
        let (closed, elapsed) = try await blocking {
            let slow = try RawConnection(unixPath: path)
            defer { slow.close() }
            let call = RecordMarkingEncoder().frame(
                RPCMessage.call(xid: 1, RPCCall(program: 300773, version: 1, procedure: 0)).xdrBytes)
            try slow.send(Array(call.prefix(call.count / 2)))
            let started = ContinuousClock.now
            let client = try ManagementClient(socketPath: path)
            for _ in 0..<3 { try client.ping() }
            let closed = slow.closedByServer(within: .seconds(3))
            let elapsed = ContinuousClock.now - started
            try client.ping()
            return (closed, elapsed)
        }
        #expect(closed)
        #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(3))
        await server.close()
    }

    @Test func silentConnectionIsClosedAfterIdleTimeout() async throws {
        let server = try await startServer(
            .tcp(host: "127.0.0.1", port: 0), configuration: fastConfiguration(idle: .milliseconds(300)))
        let port = try #require(server.port)
        let closed = try await blocking {
            let raw = try RawConnection(tcpPort: port)
            defer { raw.close() }
            return raw.closedByServer(within: .seconds(3))
        }
        #expect(closed)
        await server.close()
    }

    @Test func hugeLengthFieldIsRejectedAtOnce() async throws {
        let server = try await startServer(
            .tcp(host: "127.0.0.1", port: 0),
            configuration: fastConfiguration(idle: .seconds(30), request: .seconds(30)))
        let port = try #require(server.port)
        let closed = try await blocking {
            let raw = try RawConnection(tcpPort: port)
            defer { raw.close() }
            try raw.send([0xff, 0xff, 0xff, 0xff])
            return raw.closedByServer(within: .seconds(2))
        }
        #expect(closed)
        await server.close()
    }

    @Test func connectionsBeyondTheLimitAreClosed() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(
            .unixSocket(path: path), configuration: fastConfiguration(idle: .seconds(30), maxConnections: 2))
        let closed = try await blocking {
            let first = try ManagementClient(socketPath: path)
            let second = try ManagementClient(socketPath: path)
            try first.ping()
            try second.ping()
            let third = try RawConnection(unixPath: path)
            defer { third.close() }
            let closed = third.closedByServer(within: .seconds(2))
            try first.ping()
            return closed
        }
        #expect(closed)
        await server.close()
    }

    // MARK: - The socket file

    @Test func socketIsOwnerOnlyAndRemovedOnClose() async throws {
        let directory = makeTemporaryDirectory() + "/fresh"
        let path = directory + "/l2tpd.sock"
        let server = try await startServer(.unixSocket(path: path))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.type] as? FileAttributeType) == .typeSocket)
        await server.close()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func secondServerFailsClearlyWhileTheFirstLives() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let first = try await startServer(.unixSocket(path: path))
        await #expect {
            _ = try await startServer(.unixSocket(path: path))
        } throws: { error in
            "\(error)" == "openl2tpd is already running: a live server is listening on \(path); stop it first"
        }
        try await blocking { try ManagementClient(socketPath: path).ping() }
        await first.close()
        let again = try await startServer(.unixSocket(path: path))
        await again.close()
    }

    @Test func liveForeignListenerIsNeverStolen() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let listener = try bindRawUnixSocket(path: path, listen: true)
        defer { close(listener) }
        await #expect(throws: RPCServerError.alreadyRunning(serviceName: "", path: "")) {
            _ = try await startServer(.unixSocket(path: path))
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func staleSocketFromDeadServerIsReplaced() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        close(try bindRawUnixSocket(path: path, listen: true))  // the file stays, nobody listens
        #expect(FileManager.default.fileExists(atPath: path))
        let server = try await startServer(.unixSocket(path: path))
        try await blocking { try ManagementClient(socketPath: path).ping() }
        await server.close()
    }

    @Test func nonSocketFileIsLeftAlone() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8)))
        await #expect {
            _ = try await startServer(.unixSocket(path: path))
        } throws: { error in
            "\(error)" == "\(path) exists and is not a socket; refusing to replace it"
        }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
    }

    // MARK: - Client

    @Test func clientReportsAnAbsentDaemonPlainly() {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        #expect {
            _ = try ManagementClient(socketPath: path)
        } throws: { error in
            "\(error)" == "cannot reach openl2tpd at \(path): connect: No such file or directory"
        }
    }

    @Test func clientTimesOutOnASilentServer() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let listener = try bindRawUnixSocket(path: path, listen: true)
        defer { close(listener) }
        let message = try await blocking { () -> String in
            let client = try ManagementClient(socketPath: path, timeout: .milliseconds(200))
            do {
                try client.ping()
                return "answered"
            } catch {
                return "\(error)"
            }
        }
        #expect(message == "openl2tpd at \(path) did not answer within 0.2 s")
    }
}

/// A plain socket bound at `path` (not through the server), for stale and
/// foreign-listener cases.
func bindRawUnixSocket(path: String, listen shouldListen: Bool) throws -> Int32 {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        let bytes = Array(path.utf8)
        raw.copyBytes(from: bytes)
        raw[bytes.count] = 0
    }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard result == 0 else { throw POSIXError(.EADDRINUSE) }
    if shouldListen { listen(descriptor, 4) }
    return descriptor
}

@Suite(.serialized) struct RPCServerSlowClientTests {
    @Test func clientThatDoesNotReadItsReplyIsClosed() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let handler = TestManagementHandler()
        await handler.state.setSessionListSize(65535)
        let server = try await startServer(
            .unixSocket(path: path), handler: handler,
            configuration: fastConfiguration(idle: .milliseconds(300), request: .seconds(30)))
        let fullReply = ManagementReply(
            records: Array(
                repeating: ManagementRecord(
                    kind: "session",
                    fields: [
                        .init("tunnel_id", .uint(1)), .init("session_id", .uint(1)),
                        .init("state", .string("ESTABLISHED")),
                    ]), count: 65535)
        ).xdrBytes.count

        let received = try await blocking {
            let raw = try RawConnection(unixPath: path)
            defer { raw.close() }
            try raw.sendCall(
                RPCCall(
                    program: 300773, version: 1, procedure: ManagementProcedure.sessionList.rawValue,
                    arguments: ManagementRequest().xdrBytes))
            // Wait (however long a loaded machine takes to build 65,535
            // records) until the server has started writing, then stop
            // reading for well over the idle timeout: a write that makes no
            // progress must get the connection closed.
            let first = try raw.readBytes(4, timeout: .seconds(60))
            Thread.sleep(forTimeInterval: 1.5)
            let received = first + (try raw.readBytes(fullReply + 1000, timeout: .seconds(30)))
            try ManagementClient(socketPath: path).ping()
            return received.count
        }
        #expect(received < fullReply)
        await server.close()
    }

    @Test func clientReconnectsAfterTheServerClosedAnIdleConnection() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let handler = TestManagementHandler()
        let server = try await startServer(
            .unixSocket(path: path), handler: handler, configuration: fastConfiguration(idle: .milliseconds(200)))
        let second = try await blocking {
            let client = try ManagementClient(socketPath: path)
            _ = try client.call(.tunnelCreate, ["dest_ipaddr": "192.0.2.1"])
            Thread.sleep(forTimeInterval: 0.6)
            return try client.call(.tunnelCreate, ["dest_ipaddr": "192.0.2.2"])
        }
        #expect(second.records.first?["tunnel_id"] == .uint(2))
        await server.close()
    }
}

@Suite struct RPCServerShutdownTests {
    @Test func closeEndsOpenConnections() async throws {
        let path = makeTemporaryDirectory() + "/l2tpd.sock"
        let server = try await startServer(
            .unixSocket(path: path), configuration: fastConfiguration(idle: .seconds(30)))
        let raw = try await blocking {
            let raw = try RawConnection(unixPath: path)
            try raw.sendCall(RPCCall(program: 300773, version: 1, procedure: 0))
            _ = try raw.readRecord()
            return raw
        }
        defer { raw.close() }
        await server.close()
        // Returns at EOF; the long window only matters on a loaded machine.
        let closed = try await blocking { raw.closedByServer(within: .seconds(20)) }
        #expect(closed)
    }
}

import Foundation
import NIOPosix
import TestSupport
import Testing

@testable import L2TPManagement

/// Runs helper programs (rpcinfo, rpcgen, cc, the oracle) for the rpcbind and
/// rpcgen tests; rpcbind itself is `RPCBindService` in TestSupport.
enum RPCBindFixture {
    /// Runs a command and returns its exit status and standard output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite(.serialized) struct RPCBindRegistrationTests {
    @Test func rpcinfoReachesTheRegisteredTCPService() async throws {
        let problem = try await blocking({ RPCBindService.ensureRunning() })
        guard RPCBindService.proceed(problem, test: "rpcinfo test") else { return }
        let lock = await HostRPCBindLock.acquire()
        defer { lock.release() }
        let server = try await startServer(.tcp(host: "127.0.0.1", port: 0))
        let port = try #require(server.port)
        let registration = try #require(
            await RPCBindRegistration.register(program: 300773, version: 1, host: "127.0.0.1", port: port))

        // An independent client: rpcinfo asks rpcbind for the address, then
        // calls our NULL procedure over TCP.
        let ping = try await blocking {
            RPCBindFixture.run("/usr/sbin/rpcinfo", ["-T", "tcp", "127.0.0.1", "300773", "1"])
        }
        #expect(ping.status == 0, "\(ping.output)")
        #expect(ping.output.contains("program 300773 version 1 ready and waiting"))
        let listing = try await blocking { RPCBindFixture.run("/usr/sbin/rpcinfo", ["-p", "127.0.0.1"]) }
        #expect(listing.output.split(separator: "\n").contains { $0.contains("300773") && $0.contains("\(port)") })

        // Our own client finds the port through rpcbind (-R host without :port).
        try await blocking { try ManagementClient(remoteHost: "127.0.0.1").ping() }

        await registration.unregister()
        let after = try await blocking { RPCBindFixture.run("/usr/sbin/rpcinfo", ["-p", "127.0.0.1"]) }
        #expect(!after.output.contains("300773"))
        let message = try await blocking { () -> String in
            do {
                _ = try ManagementClient(remoteHost: "127.0.0.1")
                return "connected"
            } catch {
                return "\(error)"
            }
        }
        #expect(message.contains("rpcbind there has no TCP port for program 300773"))
        await server.close()
    }

    /// In the same serialized suite: both register program 300773.
    @Test func managementServerStartsUnixAndLoopbackTCPAndCleansUp() async throws {
        let lock = await HostRPCBindLock.acquire()
        defer { lock.release() }
        let path = makeTemporaryDirectory() + "/run/l2tpd.sock"
        let server = try await ManagementServer.start(
            handler: TestManagementHandler(), socketPath: path, group: MultiThreadedEventLoopGroup.singleton,
            configuration: fastConfiguration())
        let port = try #require(server.tcpServer?.port)
        #expect(server.tcpServer?.localAddress?.ipAddress == "127.0.0.1")
        try await blocking {
            try ManagementClient(socketPath: path).ping()
            try ManagementClient(remoteHost: "127.0.0.1:\(port)").ping()
        }
        if RPCBindRegistration.isRPCBindRunning() {
            #expect(server.registration?.port == port)
        } else {
            #expect(server.registration == nil)
        }
        await server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: RPCClientError.self) { _ = try ManagementClient(remoteHost: "127.0.0.1:\(port)") }
        if RPCBindRegistration.isRPCBindRunning() {
            let listing = try await blocking { RPCBindFixture.run("/usr/sbin/rpcinfo", ["-p", "127.0.0.1"]) }
            #expect(!listing.output.contains("300773"))
        }
    }
}

import Foundation
import L2TPManagement
import Logging
import Testing
@testable import L2TPDaemon

/// End to end in one process: two daemon runtimes on loopback with the real
/// control engine; the LAC is driven over the management RPC (Unix socket),
/// through the same command path as its config file.
@Suite(.serialized) struct DaemonManagementHandlerTests {
    static func runtime(label: String) throws -> DaemonRuntime {
        let socket = try UDPSocket.bind(IPv4SocketAddress(address: 0x7F00_0001, port: 0))
        var options = DaemonOptions()
        options.udpPort = socket.localAddress.port
        let logger = Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
        return try DaemonRuntime(
            options: options, logger: logger, listenerSocket: socket,
            makeEngine: { EndpointControlEngine() })
    }

    func call(
        _ client: ManagementClient, _ procedure: ManagementProcedure, _ pairs: KeyValuePairs<String, String> = [:]
    ) throws -> ManagementReply {
        try client.call(procedure, ManagementRequest(pairs))
    }

    @Test func tunnelAndSessionCreatedOverRPCComeUp() async throws {
        let lns = try Self.runtime(label: "lns")
        let lac = try Self.runtime(label: "lac")
        let path = NSTemporaryDirectory() + "openl2tpd-rpc-\(getpid()).sock"
        let server = try await ManagementServer.start(
            handler: DaemonManagementHandler(runtime: lac), socketPath: path,
            enableTCP: false, group: lac.group)
        let client = try ManagementClient(socketPath: path, timeout: .seconds(5))
        let lnsPort = String(lns.daemon.listenAddress.port)

        let created = try call(
            client, .tunnelCreate,
            ["dest_ipaddr": "127.0.0.1", "peer_udp_port": lnsPort, "tunnel_name": "t", "host_name": "lac"])
        #expect(created.status == .ok, "\(created.message)")
        guard case .uint(let tunnelID)? = created.records.first?["tunnel_id"] else {
            Issue.record("no tunnel id"); return
        }
        let session = try call(client, .sessionCreate, ["tunnel_name": "t", "session_name": "s", "user_name": "bert"])
        #expect(session.status == .ok, "\(session.message)")

        var state: ManagementValue?
        var sessions: [ManagementRecord] = []
        for _ in 0..<100 {
            state = try call(client, .tunnelList).records.first { $0["tunnel_id"] == .uint(tunnelID) }?["state"]
            sessions = try call(client, .sessionList, ["tunnel_name": "t"]).records
            if state == .string("ESTABLISHED"), sessions.first?["state"] == .string("ESTABLISHED") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(state == .string("ESTABLISHED"))
        #expect(sessions.first?["user_name"] == .string("bert"))
        let users = try call(client, .userList)
        #expect(users.records.first?["user_name"] == .string("bert"))
        let system = try call(client, .systemGet)
        #expect(system.records.first?["num_tunnels"] == .uint(1))
        let stats = try call(client, .statisticsGet)
        #expect(stats.records.contains { $0["message"] == .string("SCCRQ") && $0["tx"] == .uint(1) })

        // Errors name what is wrong, with the protocol's status codes.
        #expect(
            try call(client, .tunnelCreate, ["dest_ipaddr": "127.0.0.1", "bogus_thing": "1"]).status
                == .unknownParameter)
        let absent = tunnelID == 1 ? "2" : "1"
        #expect(try call(client, .tunnelGet, ["tunnel_id": absent]).status == .tunnelNotFound)
        #expect(try call(client, .tunnelCreate, ["tunnel_name": "x"]).status == .missingParameter)
        #expect(try call(client, .systemModify, ["max_tunnels": "1"]).status == .ok)
        let refused = try call(client, .tunnelCreate, ["dest_ipaddr": "127.0.0.1", "peer_udp_port": lnsPort])
        #expect(refused.status == .limitReached)
        #expect(refused.message.contains("max_tunnels limit (1) reached"))
        #expect(try call(client, .tunnelProfileCreate, ["profile_name": "p", "hello_timeout": "7"]).status == .ok)
        let profile = try call(client, .tunnelProfileGet, ["profile_name": "p"])
        #expect(profile.records.first?["hello_timeout"] == .int(7))
        #expect(
            try call(client, .tunnelProfileDelete, ["profile_name": "default"]).status == .defaultProfileNotDeletable)
        let saved = try call(client, .configSave)
        guard case .string(let text)? = saved.records.first?["text"] else { Issue.record("no config text"); return }
        #expect(text.contains("tunnel create") && text.contains("tunnel_name=t"))

        #expect(try call(client, .tunnelDelete, ["tunnel_name": "t"]).status == .ok)
        await server.shutdown()
        await lac.close()
        await lns.close()
    }
}

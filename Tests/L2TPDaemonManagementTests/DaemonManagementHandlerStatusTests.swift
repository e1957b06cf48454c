@testable import L2TPManagement
import Logging
import ONCRPC
import Testing

@testable import L2TPDaemon

/// The handler in process, called directly (as any RPC client could, without
/// l2tpconfig's own validation): every refusal carries the protocol status
/// and a message that names the parameter or object at fault, and leaves the
/// daemon unchanged.
@Suite struct DaemonManagementHandlerStatusTests {
    static let caller = RPCCaller(transport: .unixSocket, credentials: .init(pid: 1, uid: 0, gid: 0), address: "test")

    static func handler() throws -> (DaemonManagementHandler, DaemonRuntime) {
        let socket = try UDPSocket.bind(IPv4SocketAddress(address: 0x7F00_0001, port: 0))
        var options = DaemonOptions()
        options.udpPort = socket.localAddress.port
        let logger = Logger(label: "status-tests") { _ in SwiftLogNoOpLogHandler() }
        let runtime = try DaemonRuntime(
            options: options, logger: logger, listenerSocket: socket,
            makeEngine: { EndpointControlEngine() })
        return (DaemonManagementHandler(runtime: runtime), runtime)
    }

    static let refusals: [(ManagementProcedure, KeyValuePairs<String, String>, ManagementStatus, [String])] = [
        (.tunnelCreate, ["dest_ipaddr": "127.0.0.1", "bogus_thing": "1"], .unknownParameter, ["bogus_thing"]),
        (.systemModify, ["max_sessions": "abc"], .badParameterValue, ["max_sessions", "abc"]),
        (.tunnelCreate, ["dest_ipaddr": "999.1.1.1"], .badParameterValue, ["dest_ipaddr", "999.1.1.1"]),
        (.tunnelCreate, ["tunnel_name": "x"], .missingParameter, ["dest_ipaddr"]),
        (.tunnelGet, ["tunnel_id": "4242"], .tunnelNotFound, ["tunnel_id 4242"]),
        (.tunnelDelete, ["tunnel_name": "nope"], .tunnelNotFound, ["nope"]),
        (.tunnelProfileDelete, ["profile_name": "default"], .defaultProfileNotDeletable, ["default"]),
        (.sessionProfileGet, ["profile_name": "nope"], .profileNotFound, ["nope"]),
        (.pppProfileDelete, ["profile_name": "nope"], .profileNotFound, ["nope"]),
        (.tunnelCreate, ["dest_ipaddr": "127.0.0.1", "profile_name": "nope"], .profileNotFound, ["nope"]),
        (.sessionGet, ["session_id": "1"], .missingParameter, ["tunnel_id", "tunnel_name"]),
    ]

    @Test(arguments: 0..<refusals.count)
    func refusalNamesTheProblem(_ index: Int) async throws {
        let (procedure, pairs, status, mentions) = Self.refusals[index]
        let (handler, runtime) = try Self.handler()
        let reply = await handler.handle(procedure, ManagementRequest(pairs), caller: Self.caller)
        #expect(reply.status == status, "\(procedure): \(reply.status.rawValue) \(reply.message)")
        for word in mentions { #expect(reply.message.contains(word), "\(procedure): \(reply.message)") }
        #expect(reply.records.isEmpty)
        let tunnels = await handler.handle(.tunnelList, ManagementRequest(), caller: Self.caller)
        #expect(tunnels.records.isEmpty)
        await runtime.close()
    }

    @Test func profileCreateTwiceAndUnsetWithEmptyValues() async throws {
        let (handler, runtime) = try Self.handler()
        let create = ManagementRequest(["profile_name": "p", "hello_timeout": "7", "max_retries": "3"])
        #expect(await handler.handle(.tunnelProfileCreate, create, caller: Self.caller).status == .ok)
        let again = await handler.handle(.tunnelProfileCreate, create, caller: Self.caller)
        #expect(again.status == .profileExists, "\(again.message)")
        // RPC convention: unset names travel with empty values.
        let unset = await handler.handle(
            .tunnelProfileUnset, ManagementRequest(["profile_name": "p", "hello_timeout": ""]),
            caller: Self.caller)
        #expect(unset.status == .ok, "\(unset.message)")
        let shown = await handler.handle(
            .tunnelProfileGet, ManagementRequest(["profile_name": "p"]), caller: Self.caller)
        #expect(shown.records.first?["profile_name"] == .string("p"))
        #expect(shown.records.first?["hello_timeout"] == .int(60))
        #expect(shown.records.first?["max_retries"] == .int(3))
        await runtime.close()
    }

    @Test func tunnelCreateReturnsItsIdAndDuplicateNamesAreRefused() async throws {
        let (handler, runtime) = try Self.handler()
        let request = ManagementRequest(["dest_ipaddr": "127.0.0.1", "peer_udp_port": "9", "tunnel_name": "dup"])
        let created = await handler.handle(.tunnelCreate, request, caller: Self.caller)
        #expect(created.status == .ok, "\(created.message)")
        guard case .uint(let id)? = created.records.first?["tunnel_id"] else {
            Issue.record("no tunnel_id in \(created)")
            return
        }
        #expect(created.records.first?["tunnel_name"] == .string("dup"))
        let duplicate = await handler.handle(.tunnelCreate, request, caller: Self.caller)
        #expect(duplicate.status == .tunnelExists, "\(duplicate.status.rawValue) \(duplicate.message)")
        #expect(duplicate.message.contains("dup"))
        // Keyword flags: local_only=yes filters, remote_only=yes hides our tunnel.
        let local = await handler.handle(.tunnelList, ManagementRequest(["local_only": "yes"]), caller: Self.caller)
        #expect(local.records.map { $0["tunnel_id"] } == [.uint(id)])
        #expect(local.records.first?["created_by"] == .string("local"))
        let remote = await handler.handle(.tunnelList, ManagementRequest(["remote_only": "yes"]), caller: Self.caller)
        #expect(remote.records.isEmpty)
        // debug show names its target.
        _ = await handler.handle(
            .debugModify, ManagementRequest(["tunnel_name": "dup", "trace_flags": "FSM"]), caller: Self.caller)
        let debug = await handler.handle(.debugGet, ManagementRequest(["tunnel_name": "dup"]), caller: Self.caller)
        #expect(debug.records.first?["tunnel_id"] == .uint(id))
        #expect(debug.records.first?["trace_flags"] != .uint(0))
        await runtime.close()
    }
}

/// Daemon refusals map to statuses by their kind, never by message text.
@Suite struct DaemonManagementHandlerErrorKindTests {
    static let kinds: [(DaemonError, Int32)] = [
        (.tunnelNotFound("tunnel_id 9"), -504), (.sessionNotFound("session_id 9 in tunnel 1"), -505),
        (.profileNotFound("ppp profile 'x'"), -506), (.tunnelExists("tunnel_name 'a' is already in use"), -508),
        (.sessionExists("session 3 exists"), -509), (.profileExists("x"), -510), (.notDeletable("default"), -511),
        (.limit("max_tunnels limit (1) reached"), -512), (.denied("deny_local_tunnel_creates=yes"), -513),
        (.missingParameter("give tunnel_id or tunnel_name"), -502),
        // Text that once steered the old matcher no longer decides anything.
        (.invalidCommand("tunnel 'already' not found"), ManagementStatus.invalidArgument.rawValue),
        (.notFound("peer 10.0.0.1"), ManagementStatus.notFound.rawValue),
    ]

    @Test(arguments: 0..<kinds.count)
    func kindPinsTheStatus(_ index: Int) {
        let (error, code) = Self.kinds[index]
        #expect(DaemonManagementHandler.status(error).rawValue == code, "\(error.kind): \(error.message)")
    }

    @Test func limitsAndDenialsReachTheCaller() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let caller = DaemonManagementHandlerStatusTests.caller
        let tunnel = ManagementRequest(["dest_ipaddr": "127.0.0.1", "peer_udp_port": "9"])
        #expect(
            await handler.handle(.systemModify, ManagementRequest(["max_tunnels": "1"]), caller: caller).status == .ok)
        let first = await handler.handle(.tunnelCreate, tunnel, caller: caller)
        #expect(first.status == .ok, "\(first.message)")
        let tid = try #require(first.records.first?["tunnel_id"]).displayText
        let second = await handler.handle(.tunnelCreate, tunnel, caller: caller)
        #expect(second.status == .limitReached && second.message.contains("max_tunnels"), "\(second.message)")
        _ = await handler.handle(
            .systemModify, ManagementRequest(["deny_local_tunnel_creates": "yes", "max_tunnels": "0"]),
            caller: caller)
        let denied = await handler.handle(.tunnelCreate, tunnel, caller: caller)
        #expect(denied.status == .creationDenied && denied.message.contains("deny_local"), "\(denied.message)")
        let noSession = await handler.handle(
            .sessionGet, ManagementRequest(["tunnel_id": tid, "session_id": "77"]),
            caller: caller)
        #expect(
            noSession.status == .sessionNotFound && noSession.message.contains("session_id 77"), "\(noSession.message)")
        await runtime.close()
    }
}

/// Values arrive as arbitrary strings: each either reaches the daemon exactly
/// as sent or is refused with a status; none can smuggle in a second command
/// or another parameter.
@Suite struct DaemonManagementHandlerHostileValueTests {
    static let values = [
        "a b", "we\"ird", "back\\slash", "line\nbreak system modify max_tunnels=1", "x max_tunnels=1",
        "#comment", "", "tab\there", String(repeating: "z", count: 300),
    ]

    @Test(arguments: values)
    func profileHostNameIsStoredExactlyOrRefused(_ value: String) async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let caller = DaemonManagementHandlerStatusTests.caller
        let reply = await handler.handle(
            .tunnelProfileCreate, ManagementRequest(["profile_name": "p", "host_name": value]),
            caller: caller)
        if reply.status == .ok {
            let shown = await handler.handle(
                .tunnelProfileGet, ManagementRequest(["profile_name": "p"]), caller: caller)
            // An empty value reads as in the config file: `host_name=` leaves it unset.
            #expect(
                shown.records.first?["host_name"] == (value.isEmpty ? ManagementValue.none : .string(value)), "\(shown)"
            )
        } else {
            #expect(!reply.message.isEmpty)
        }
        let system = await handler.handle(.systemGet, ManagementRequest(), caller: caller)
        #expect(system.records.first?["max_tunnels"] == .uint(0), "value \(value.debugDescription) changed the system")
        await runtime.close()
    }
}

import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

@Suite struct RequestBuilderTests {
    func plan(_ line: String) throws -> RPCCallPlan {
        let command = try CommandParser().parseCommand(line)
        return try #require(RequestBuilder.plan(for: command))
    }

    @Test func everyDaemonCommandHasAProcedure() {
        for path in CommandPath.allCases where path != .configRestore {
            #expect(RequestBuilder.procedure(for: ParsedCommand(path: path)) != nil, "\(path)")
        }
        #expect(RequestBuilder.procedure(for: ParsedCommand(path: .configRestore)) == nil)
    }

    @Test func profileProceduresMatchKindAndAction() {
        #expect(RequestBuilder.profileProcedure(.ppp, .unset) == .pppProfileUnset)
        #expect(RequestBuilder.profileProcedure(.peer, .create) == .peerProfileCreate)
        #expect(RequestBuilder.profileProcedure(.session, .show) == .sessionProfileGet)
        #expect(RequestBuilder.profileProcedure(.tunnel, .list) == .tunnelProfileList)
    }

    @Test func argumentsInTableOrderWithCanonicalText() throws {
        let call = try plan("tunnel cr persist=on dest=192.0.2.1 tunnel_name=katalix hello=30 trace_flags=3")
        #expect(call.procedure == .tunnelCreate)
        let order = CommandTable.standard.spec(for: .tunnelCreate)!.parameters.map(\.name.rawValue)
        let sent = call.request.parameters.map(\.name)
        #expect(sent.count == 5)
        #expect(sent == sent.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! })
        #expect(call.request["dest_ipaddr"] == "192.0.2.1")
        #expect(call.request["persist"] == "yes")
        #expect(call.request["tunnel_name"] == "katalix")
        #expect(call.request["hello_timeout"] == "30")
        #expect(call.request["trace_flags"] == "PROTOCOL,FSM")
    }

    @Test func showKeywordsPickTheProcedure() throws {
        #expect(try plan("system show version").procedure == .appInfoGet)
        #expect(try plan("system show statistics").procedure == .statisticsGet)
        let status = try plan("system show status")
        #expect(status.procedure == .systemGet)
        #expect(status.request["status"] == "yes")
        #expect(try plan("tunnel list local_only").request["local_only"] == "yes")
    }

    @Test func unsetSendsNamesWithEmptyValues() throws {
        let call = try plan("ppp profile unset profile_name=p1 mtu auth_pap")
        #expect(call.procedure == .pppProfileUnset)
        #expect(
            call.request.parameters == [
                ManagementParameter(name: "profile_name", value: "p1"),
                ManagementParameter(name: "mtu", value: ""), ManagementParameter(name: "auth_pap", value: ""),
            ])
    }

    @Test func emptyValueIsSentEmpty() throws {
        #expect(try plan("tunnel modify tunnel_id=5 ppp_profile_name=").request["ppp_profile_name"] == "")
    }
}

import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

/// Answers list procedures from fixed names and counts the calls.
final class ListingDaemon: ManagementCalling {
    var calls: [(ManagementProcedure, ManagementRequest)] = []
    var reachable = true

    func call(_ procedure: ManagementProcedure, _ request: ManagementRequest) throws(CLIError) -> ManagementReply {
        calls.append((procedure, request))
        guard reachable else { return .failure(.busy, "down") }
        func names(_ kind: String, _ field: String, _ values: [String]) -> ManagementReply {
            .success(values.map { ManagementRecord(kind: kind, fields: [ManagementField(field, .string($0))]) })
        }
        switch procedure {
        case .pppProfileList: return names("ppp_profile", "profile_name", ["default", "dial", "dialup"])
        case .tunnelProfileList: return names("tunnel_profile", "profile_name", ["default", "lns"])
        case .tunnelList: return names("tunnel", "tunnel_name", ["one", "other"])
        case .sessionList:
            return request["tunnel_name"] == "one" ? names("session", "session_name", ["s1", "s 2"]) : .success([])
        default: return .failure(.notSupported, "no")
        }
    }
}

@Suite struct CompletionNamesTests {
    func completion(_ daemon: ListingDaemon) -> LineCompletion {
        let names = CompletionNames(connection: daemon)
        return LineCompletion(names: { names.names($0) })
    }

    @Test func profileNamesCompleteAfterProfileNameParameters() {
        let daemon = ListingDaemon()
        let tab = completion(daemon)
        #expect(
            tab.complete(lineToCursor: "session create tunnel_name=one ppp_profile_name=")
                == .replace(deleting: 17, text: "ppp_profile_name=d"))
        #expect(
            tab.complete(lineToCursor: "session create tunnel_name=one ppp_profile_name=di")
                == .replace(deleting: 19, text: "ppp_profile_name=dial"))
        #expect(
            tab.complete(lineToCursor: "session create tunnel_name=one ppp_profile_name=dial")
                == .list(["ppp_profile_name=dial", "ppp_profile_name=dialup"]))
        // Asked once for the whole line being edited.
        #expect(daemon.calls.filter { $0.0 == .pppProfileList }.count == 1)
        #expect(
            tab.complete(lineToCursor: "tunnel profile modify profile_name=l")
                == .replace(deleting: 14, text: "profile_name=lns "))
        // The new name of a create is not completed from existing ones.
        #expect(tab.complete(lineToCursor: "ppp profile create profile_name=d") == .none)
    }

    @Test func tunnelAndSessionNamesComplete() {
        let tab = completion(ListingDaemon())
        #expect(
            tab.complete(lineToCursor: "tunnel show tunnel_name=on") == .replace(deleting: 14, text: "tunnel_name=one ")
        )
        #expect(tab.complete(lineToCursor: "tunnel create tunnel_name=o") == .none)
        // Session names of the tunnel the line names; blanks are quoted.
        #expect(
            tab.complete(lineToCursor: "session show tunnel_name=one session_name=")
                == .list(["session_name=\"s 2\"", "session_name=s1"]))
        #expect(tab.complete(lineToCursor: "session show session_name=") == .none)
    }

    @Test func answersAreCachedUntilForgotten() {
        let daemon = ListingDaemon()
        let names = CompletionNames(connection: daemon)
        #expect(names.names(.tunnels) == ["one", "other"])
        #expect(names.names(.tunnels) == ["one", "other"])
        #expect(daemon.calls.count == 1)
        names.forget()
        _ = names.names(.tunnels)
        #expect(daemon.calls.count == 2)
    }

    @Test func anUnreachableDaemonOffersNothing() {
        let daemon = ListingDaemon()
        daemon.reachable = false
        let names = CompletionNames(connection: daemon)
        #expect(names.names(.profiles(.ppp)).isEmpty)
        #expect(LineCompletion(names: { names.names($0) }).complete(lineToCursor: "tunnel show tunnel_name=") == .none)
    }
}

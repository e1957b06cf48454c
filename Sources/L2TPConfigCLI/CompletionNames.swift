import L2TPConfig
import L2TPManagement

/// A set of existing names TAB can offer as a value.
public enum CompletionNameQuery: Hashable, Sendable {
    /// After `profile_name=` in `<kind> profile ...`, or `<kind>_profile_name=`.
    case profiles(ProfileKind)
    /// After `tunnel_name=`.
    case tunnels
    /// After `session_name=`: the sessions of the tunnel the line names with
    /// `tunnel_id=` or `tunnel_name=` (`parameter`, `value`).
    case sessions(tunnelParameter: String, value: String)

    /// The query for the value of `parameter` on a line whose words so far are
    /// `words`; nil for values that are not names of existing objects (and
    /// for the new name of a `create`).
    static func forValue(of parameter: String, words: [String]) -> CompletionNameQuery? {
        let command = words.prefix(3).map { $0.lowercased() }
        let creating = command.count > 1 && (command[1] == "create" || (command.count > 2 && command[2] == "create"))
        switch parameter.lowercased() {
        case "profile_name":
            guard command.count > 1, command[1] == "profile", let kind = ProfileKind(rawValue: command[0]) else {
                return nil
            }
            return creating ? nil : .profiles(kind)
        case "tunnel_profile_name": return .profiles(.tunnel)
        case "session_profile_name": return .profiles(.session)
        case "ppp_profile_name": return .profiles(.ppp)
        case "peer_profile_name": return .profiles(.peer)
        case "tunnel_name": return command.first == "tunnel" && creating ? nil : .tunnels
        case "session_name":
            if command.first == "session" && creating { return nil }
            for word in words.reversed() {
                guard let equals = word.firstIndex(of: "=") else { continue }
                let name = word[..<equals].lowercased()
                if name == "tunnel_id" || name == "tunnel_name" {
                    return .sessions(tunnelParameter: name, value: String(word[word.index(after: equals)...]))
                }
            }
            return nil
        default: return nil
        }
    }
}

/// Looks names up with the list procedures and keeps each answer until
/// `forget()` (the shell calls it once per line read), so pressing TAB again
/// on the same line costs no further round trip. A daemon that cannot be
/// reached, or refuses, simply offers no names: TAB never prints an error.
public final class CompletionNames {
    let connection: any ManagementCalling
    private var cache: [CompletionNameQuery: [String]] = [:]

    public init(connection: any ManagementCalling) {
        self.connection = connection
    }

    public func names(_ query: CompletionNameQuery) -> [String] {
        if let cached = cache[query] { return cached }
        let found = fetch(query)
        cache[query] = found
        return found
    }

    /// Drops the cached answers (a new line may follow changes).
    public func forget() { cache.removeAll() }

    private func fetch(_ query: CompletionNameQuery) -> [String] {
        let procedure: ManagementProcedure
        let field: String
        var request = ManagementRequest()
        switch query {
        case .profiles(let kind):
            field = "profile_name"
            switch kind {
            case .tunnel: procedure = .tunnelProfileList
            case .session: procedure = .sessionProfileList
            case .ppp: procedure = .pppProfileList
            case .peer: procedure = .peerProfileList
            }
        case .tunnels:
            procedure = .tunnelList
            field = "tunnel_name"
        case .sessions(let parameter, let value):
            procedure = .sessionList
            field = "session_name"
            request = ManagementRequest(parameters: [ManagementParameter(name: parameter, value: value)])
        }
        guard let reply = try? connection.call(procedure, request), reply.status.isSuccess else { return [] }
        return reply.records.compactMap { record in
            guard case .string(let name)? = record[field], !name.isEmpty else { return nil }
            return name
        }
    }
}

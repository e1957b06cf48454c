/// Every command of the tree, so the daemon and the CLI can switch over a
/// parsed command exhaustively.
public enum CommandPath: Hashable, Sendable, CustomStringConvertible {
    case systemModify, systemShow
    case tunnelCreate, tunnelDelete, tunnelModify, tunnelShow, tunnelList
    case sessionCreate, sessionDelete, sessionModify, sessionShow, sessionList
    case profile(ProfileKind, ProfileAction)
    case peerShow, peerList
    case userList
    case debugModify, debugShow
    case configSave, configRestore

    public static var allCases: [CommandPath] {
        var all: [CommandPath] = [
            .systemModify, .systemShow,
            .tunnelCreate, .tunnelDelete, .tunnelModify, .tunnelShow, .tunnelList,
            .sessionCreate, .sessionDelete, .sessionModify, .sessionShow, .sessionList,
        ]
        for kind in ProfileKind.allCases {
            for action in ProfileAction.allCases { all.append(.profile(kind, action)) }
        }
        all += [.peerShow, .peerList, .userList, .debugModify, .debugShow, .configSave, .configRestore]
        return all
    }

    /// The keywords that spell the command, e.g. `["ppp", "profile", "create"]`.
    public var words: [String] {
        switch self {
        case .systemModify: return ["system", "modify"]
        case .systemShow: return ["system", "show"]
        case .tunnelCreate: return ["tunnel", "create"]
        case .tunnelDelete: return ["tunnel", "delete"]
        case .tunnelModify: return ["tunnel", "modify"]
        case .tunnelShow: return ["tunnel", "show"]
        case .tunnelList: return ["tunnel", "list"]
        case .sessionCreate: return ["session", "create"]
        case .sessionDelete: return ["session", "delete"]
        case .sessionModify: return ["session", "modify"]
        case .sessionShow: return ["session", "show"]
        case .sessionList: return ["session", "list"]
        case .profile(let kind, let action): return [kind.rawValue, "profile", action.rawValue]
        case .peerShow: return ["peer", "show"]
        case .peerList: return ["peer", "list"]
        case .userList: return ["user", "list"]
        case .debugModify: return ["debug", "modify"]
        case .debugShow: return ["debug", "show"]
        case .configSave: return ["config", "save"]
        case .configRestore: return ["config", "restore"]
        }
    }

    public var description: String { words.joined(separator: " ") }
}

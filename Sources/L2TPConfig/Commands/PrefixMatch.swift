/// Unique case-insensitive prefix matching, as OpenL2TP's l2tpconfig did for
/// keywords, parameter names and (here also) enumerated values. An exact match
/// always wins over longer candidates sharing the prefix.
public enum PrefixMatch: Equatable, Sendable {
    case exact(String)
    case unique(String)
    case ambiguous([String])
    case none

    public static func match(_ word: String, among candidates: [String]) -> PrefixMatch {
        let lower = word.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lower }) { return .exact(exact) }
        guard !lower.isEmpty else { return .none }
        let hits = candidates.filter { $0.lowercased().hasPrefix(lower) }
        switch hits.count {
        case 0: return .none
        case 1: return .unique(hits[0])
        default: return .ambiguous(hits)
        }
    }
}

/// The four kinds of profile. Each has a built-in profile named `default`.
public enum ProfileKind: String, CaseIterable, Hashable, Sendable {
    case tunnel, session, ppp, peer
}

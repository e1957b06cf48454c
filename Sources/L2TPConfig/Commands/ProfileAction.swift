/// What a profile command does.
public enum ProfileAction: String, CaseIterable, Hashable, Sendable {
    case create, modify, delete, show, list, unset
}

/// A profile naming another profile that does not exist.
public struct DanglingReference: Hashable, Sendable, CustomStringConvertible {
    public let kind: ProfileKind
    public let profile: String
    public let parameter: ParameterName
    public let target: ProfileKind
    public let missing: String

    public var error: ConfigError {
        .profileNotFound(
            target, missing, referencedBy: "\(parameter.rawValue) of \(kind.rawValue) profile '\(profile)'")
    }

    public var description: String { error.message }
}

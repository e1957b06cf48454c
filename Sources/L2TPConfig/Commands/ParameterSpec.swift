/// One row of the declarative parameter table: name, type, default, whether a
/// command requires it, and a one-line help text.
public struct ParameterSpec: Hashable, Sendable {
    public let name: ParameterName
    public let type: ValueType
    /// The value used when the parameter is not given. `.notSet` means the
    /// parameter has no value unless configured ("not set").
    public let defaultValue: ConfigValue
    /// How help shows a `.notSet` default (e.g. "ephemeral", "from the tunnel's role").
    public let notSetMeaning: String
    public private(set) var isRequired: Bool
    public let help: String

    public init(
        _ name: ParameterName, _ type: ValueType, default defaultValue: ConfigValue = .notSet,
        notSet notSetMeaning: String = "not set", _ help: String
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.notSetMeaning = notSetMeaning
        self.isRequired = false
        self.help = help
    }

    /// The same parameter, required by the command that lists it this way.
    public func required() -> ParameterSpec {
        var copy = self
        copy.isRequired = true
        return copy
    }

    /// The value of `name=text`: `.notSet` for empty text (see
    /// docs/configuration.md, "Empty values"), else the text converted by the
    /// parameter's type. The one conversion of both the grammar and typed
    /// requests; a refusal names the parameter and says why.
    public func value(_ text: String, at location: SourceLocation?) throws(ConfigError) -> ConfigValue {
        if text.isEmpty { return .notSet }
        switch type.parse(text) {
        case .success(let value): return value
        case .failure(let error): throw .invalidValue(parameter: name.rawValue, reason: error.reason, at: location)
        }
    }

    /// The default as a user would write it, for help and documentation.
    public var defaultDescription: String {
        defaultValue == .notSet ? notSetMeaning : ValueRenderer.text(defaultValue)
    }
}

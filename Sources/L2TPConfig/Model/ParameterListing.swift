/// One parameter of a record as `show` commands display it.
public struct ParameterListing: Hashable, Sendable {
    public let name: ParameterName
    /// The value as written in commands (empty when not set).
    public let value: String
    /// What an unset value means ("ephemeral", "not set", ...), else nil.
    public let notSetMeaning: String?
    /// True when the value is the default.
    public let isDefault: Bool
    public let help: String
}

extension ConfigurationRecord {
    /// Every parameter with its effective value, in table order: what
    /// `system show configuration` and `X profile show` print.
    public func listing() -> [ParameterListing] {
        Self.parameterSpecs.map { spec in
            let value = value(spec.name)
            return ParameterListing(
                name: spec.name, value: ValueRenderer.text(value),
                notSetMeaning: value == .notSet ? spec.notSetMeaning : nil,
                isDefault: !isSet(spec.name), help: spec.help)
        }
    }
}

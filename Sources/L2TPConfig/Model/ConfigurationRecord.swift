/// Shared behaviour of system settings and profiles: a set of parameters from
/// one table, of which only values that differ from the defaults are stored.
///
/// Storing differences only makes "unset" and "set to the default" the same
/// state, so `config save` writes exactly the non-default values and a saved
/// model reads back equal.
public protocol ConfigurationRecord: Hashable, Sendable {
    /// The parameters this record holds, with their types and defaults.
    static var parameterSpecs: [ParameterSpec] { get }
    /// Parameters whose value differs from the default.
    var explicitValues: [ParameterName: ConfigValue] { get }
}

/// Mutation stays inside the module so every change goes through validation.
protocol MutableConfigurationRecord: ConfigurationRecord {
    var explicitValues: [ParameterName: ConfigValue] { get set }
}

extension ConfigurationRecord {
    public static func spec(_ name: ParameterName) -> ParameterSpec? {
        parameterSpecs.first { $0.name == name }
    }

    /// The value in effect: the configured one, else the default (`.notSet`
    /// for parameters without one).
    public func value(_ name: ParameterName) -> ConfigValue {
        explicitValues[name] ?? Self.spec(name)?.defaultValue ?? .notSet
    }

    /// True when the parameter has been changed from its default.
    public func isSet(_ name: ParameterName) -> Bool {
        explicitValues[name] != nil
    }

    // MARK: Typed access for the generated properties

    func boolParameter(_ name: ParameterName) -> Bool { value(name).boolValue ?? false }
    func intParameter(_ name: ParameterName) -> Int { value(name).integerValue ?? 0 }
    func optionalIntParameter(_ name: ParameterName) -> Int? { value(name).integerValue }
    func stringParameter(_ name: ParameterName) -> String { value(name).stringValue ?? "" }
    func optionalStringParameter(_ name: ParameterName) -> String? { value(name).stringValue }
    func addressParameter(_ name: ParameterName) -> IPv4Address? { value(name).ipv4Value }
    func netmaskParameter(_ name: ParameterName) -> Netmask { value(name).netmaskValue ?? .host }
    func traceFlagsParameter(_ name: ParameterName) -> TraceFlags { value(name).traceFlagsValue ?? [] }
    func connectSpeedParameter(_ name: ParameterName) -> ConnectSpeed {
        value(name).connectSpeedValue ?? ConnectSpeed(speed: 0)
    }
    func choiceParameter<T: RawRepresentable>(_ name: ParameterName, _ fallback: T) -> T where T.RawValue == String {
        value(name).choiceValue(T.self) ?? fallback
    }
    func optionalChoiceParameter<T: RawRepresentable>(_ name: ParameterName) -> T? where T.RawValue == String {
        value(name).choiceValue(T.self)
    }
}

extension MutableConfigurationRecord {
    /// Sets one parameter after checking it belongs here and fits its type.
    /// `.notSet` or the default value resets it.
    mutating func set(_ name: ParameterName, _ value: ConfigValue, what: String) throws(ConfigError) {
        guard let spec = Self.spec(name) else {
            throw .unknownParameter(
                name.rawValue, command: what, valid: Self.parameterSpecs.map(\.name.rawValue), at: nil)
        }
        guard spec.type.accepts(value) else {
            let text = ValueRenderer.text(value)
            var reason = "'\(VisibleText.escaped(text))' is not \(spec.type.expectation)"
            if case .failure(let error) = spec.type.parse(text) { reason = error.reason }
            throw .invalidValue(parameter: name.rawValue, reason: reason, at: nil)
        }
        if value == .notSet || value == spec.defaultValue {
            explicitValues[name] = nil
        } else {
            explicitValues[name] = value
        }
    }

    /// Applies arguments. Unknown parameters are an error unless
    /// `ignoringOthers` (request overrides carry arguments such as
    /// `tunnel_name` that are not profile parameters).
    mutating func apply(_ arguments: [ParameterName: ConfigValue], what: String, ignoringOthers: Bool = false)
        throws(ConfigError)
    {
        for (name, value) in arguments.sorted(by: { $0.key < $1.key }) where !ignoringOthers || Self.spec(name) != nil {
            try set(name, value, what: what)
        }
    }
}

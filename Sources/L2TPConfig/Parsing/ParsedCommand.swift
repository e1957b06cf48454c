/// A command after parsing: which command, its typed arguments and where
/// everything came from.
public struct ParsedCommand: Hashable, Sendable {
    public var path: CommandPath
    /// Arguments given as `name=value`; `name=` is stored as `.notSet`.
    public var arguments: [ParameterName: ConfigValue]
    /// Bare-word arguments such as `local_only`.
    public var keywords: Set<BareKeyword>
    /// For `profile unset`: parameters to reset, in the order given.
    public var unsetParameters: [ParameterName]
    /// Location of the first keyword.
    public var location: SourceLocation
    /// Location of each argument's value, for later (semantic) errors.
    public var argumentLocations: [ParameterName: SourceLocation]

    public init(
        path: CommandPath, arguments: [ParameterName: ConfigValue] = [:], keywords: Set<BareKeyword> = [],
        unsetParameters: [ParameterName] = [], location: SourceLocation = SourceLocation(file: "", line: 0, column: 0),
        argumentLocations: [ParameterName: SourceLocation] = [:]
    ) {
        self.path = path
        self.arguments = arguments
        self.keywords = keywords
        self.unsetParameters = unsetParameters
        self.location = location
        self.argumentLocations = argumentLocations
    }

    /// The argument's value, nil when absent or given empty (`name=`).
    public subscript(_ name: ParameterName) -> ConfigValue? {
        guard let value = arguments[name], value != .notSet else { return nil }
        return value
    }

    public func string(_ name: ParameterName) -> String? { self[name]?.stringValue }
    /// Integers and durations (seconds).
    public func integer(_ name: ParameterName) -> Int? { self[name]?.integerValue }
    public func bool(_ name: ParameterName) -> Bool? { self[name]?.boolValue }
    public func ipv4(_ name: ParameterName) -> IPv4Address? { self[name]?.ipv4Value }
    public func traceFlags(_ name: ParameterName) -> TraceFlags? { self[name]?.traceFlagsValue }
    public func choice<T: RawRepresentable>(_ name: ParameterName, as type: T.Type) -> T? where T.RawValue == String {
        self[name]?.choiceValue(type)
    }

    /// Where to report a problem with `name`: its value, else the command.
    public func location(of name: ParameterName) -> SourceLocation {
        argumentLocations[name] ?? location
    }
}

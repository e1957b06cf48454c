/// A typed parameter value, produced by `ValueType.parse` and stored in
/// commands, profiles and system settings.
public enum ConfigValue: Hashable, Sendable {
    /// `name=` with nothing after `=`: "not set", i.e. the parameter's default
    /// (see docs/configuration.md, "Empty values").
    case notSet
    case bool(Bool)
    case integer(Int)
    /// A duration in seconds.
    case seconds(Int)
    case ipv4(IPv4Address)
    case netmask(Netmask)
    /// One of a parameter's enumerated words, in canonical (lower) case.
    case choice(String)
    case string(String)
    case traceFlags(TraceFlags)
    case connectSpeed(ConnectSpeed)

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Integers and durations.
    public var integerValue: Int? {
        switch self {
        case .integer(let n), .seconds(let n): return n
        default: return nil
        }
    }

    public var ipv4Value: IPv4Address? {
        if case .ipv4(let a) = self { return a }
        return nil
    }

    public var netmaskValue: Netmask? {
        if case .netmask(let m) = self { return m }
        return nil
    }

    /// Strings and enumerated words.
    public var stringValue: String? {
        switch self {
        case .string(let s), .choice(let s): return s
        default: return nil
        }
    }

    public var traceFlagsValue: TraceFlags? {
        if case .traceFlags(let t) = self { return t }
        return nil
    }

    public var connectSpeedValue: ConnectSpeed? {
        if case .connectSpeed(let c) = self { return c }
        return nil
    }

    public func choiceValue<T: RawRepresentable>(_: T.Type) -> T? where T.RawValue == String {
        if case .choice(let s) = self { return T(rawValue: s) }
        return nil
    }
}

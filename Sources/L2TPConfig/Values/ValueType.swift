/// The type of a parameter: how its text is parsed, what is accepted, and how
/// a value is described in help and errors.
public enum ValueType: Hashable, Sendable {
    /// yes/no, on/off, true/false, 1/0 (any case).
    case bool
    /// Decimal or `0x` hex within a range.
    case integer(ClosedRange<Int>)
    /// Seconds, written `30`, `30s`, `5m` or `1h`, within a range of seconds.
    case duration(ClosedRange<Int>)
    case ipv4Address
    /// Dotted contiguous mask, `/N` or `N`.
    case netmask
    /// One of the listed words; unique case-insensitive prefixes accepted.
    case choice([String])
    /// Free text of 1...maxLength characters, no control characters (C0, DEL, C1).
    case string(maxLength: Int)
    case traceFlags
    /// `speed[:txspeed]` in bits per second.
    case connectSpeed

    public static func choice<T: CaseIterable & RawRepresentable>(_: T.Type) -> ValueType where T.RawValue == String {
        .choice(T.allCases.map(\.rawValue))
    }

    /// A short description for help and error messages.
    public var expectation: String {
        switch self {
        case .bool: return "yes or no"
        case .integer(let r): return "a number (\(r.lowerBound)..\(r.upperBound))"
        case .duration(let r): return "seconds (\(r.lowerBound)..\(r.upperBound))"
        case .ipv4Address: return "an IPv4 address"
        case .netmask: return "a netmask (255.255.255.0 or /24)"
        case .choice(let words): return words.joined(separator: "|")
        case .string(let max): return "text (at most \(max) characters)"
        case .traceFlags: return "trace flags (names joined by , or |, a number, ALL or NONE)"
        case .connectSpeed: return "speed[:txspeed] in bits/s"
        }
    }

    /// Parses non-empty text. On failure returns the reason, phrased to follow
    /// "parameter: " (e.g. `'abc' is not a number (0..65535)`).
    public func parse(_ text: String) -> Result<ConfigValue, ValueError> {
        switch self {
        case .bool:
            switch text.lowercased() {
            case "yes", "on", "true", "1": return .success(.bool(true))
            case "no", "off", "false", "0": return .success(.bool(false))
            default:
                return .failure(
                    ValueError("'\(VisibleText.escaped(text))' is not a boolean (yes/no, on/off, true/false, 1/0)"))
            }
        case .integer(let range):
            guard let n = IntegerSyntax.parse(text) else {
                return .failure(
                    ValueError(
                        "'\(VisibleText.escaped(text))' is not a number (\(range.lowerBound)..\(range.upperBound))"))
            }
            guard range.contains(n) else {
                return .failure(ValueError("\(n) is out of range (\(range.lowerBound)..\(range.upperBound))"))
            }
            return .success(.integer(n))
        case .duration(let range):
            guard let n = ValueType.parseDuration(text) else {
                return .failure(
                    ValueError(
                        "'\(VisibleText.escaped(text))' is not a duration in seconds (\(range.lowerBound)..\(range.upperBound); suffixes s, m, h allowed)"
                    ))
            }
            guard range.contains(n) else {
                return .failure(ValueError("\(n) seconds is out of range (\(range.lowerBound)..\(range.upperBound))"))
            }
            return .success(.seconds(n))
        case .ipv4Address:
            guard let address = IPv4Address(dotted: text) else {
                return .failure(ValueError("'\(VisibleText.escaped(text))' is not an IPv4 address (a.b.c.d)"))
            }
            return .success(.ipv4(address))
        case .netmask:
            guard let mask = Netmask(text: text) else {
                return .failure(
                    ValueError(
                        "'\(VisibleText.escaped(text))' is not a netmask (contiguous a.b.c.d, /N or N with N 0..32)"))
            }
            return .success(.netmask(mask))
        case .choice(let words):
            switch PrefixMatch.match(text, among: words) {
            case .exact(let w), .unique(let w): return .success(.choice(w))
            case .ambiguous(let ws):
                return .failure(
                    ValueError("'\(VisibleText.escaped(text))' is ambiguous: could be \(ws.joined(separator: ", "))"))
            case .none:
                return .failure(
                    ValueError("'\(VisibleText.escaped(text))' is not one of \(words.joined(separator: ", "))"))
            }
        case .string(let max):
            if text.count > max {
                return .failure(ValueError("value is \(text.count) characters long, at most \(max) allowed"))
            }
            if text.unicodeScalars.contains(where: ValueType.isControl) {
                return .failure(ValueError("value contains a control character"))
            }
            return .success(.string(text))
        case .traceFlags:
            return TraceFlags.parse(text).map(ConfigValue.traceFlags)
        case .connectSpeed:
            return ConnectSpeed.parse(text).map(ConfigValue.connectSpeed)
        }
    }

    /// Whether a programmatically built value fits this type (values from
    /// `parse` always do).
    public func accepts(_ value: ConfigValue) -> Bool {
        switch (self, value) {
        case (_, .notSet): return true
        case (.bool, .bool): return true
        case (.integer(let r), .integer(let n)): return r.contains(n)
        case (.duration(let r), .seconds(let n)): return r.contains(n)
        case (.ipv4Address, .ipv4), (.netmask, .netmask), (.traceFlags, .traceFlags), (.connectSpeed, .connectSpeed):
            return true
        case (.choice(let words), .choice(let w)): return words.contains(w)
        case (.string(let max), .string(let s)):
            return !s.isEmpty && s.count <= max
                && !s.unicodeScalars.contains(where: ValueType.isControl)
        default: return false
        }
    }

    /// C0 and C1 controls and DEL (U+0000-001F, U+007F-009F), which text
    /// values refuse: they would reach pppd's options, logs and terminals.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    private static func parseDuration(_ text: String) -> Int? {
        let lower = text.lowercased()
        var multiplier = 1
        var digits = Substring(lower)
        switch lower.last {
        case "s": digits = digits.dropLast()
        case "m":
            multiplier = 60
            digits = digits.dropLast()
        case "h":
            multiplier = 3600
            digits = digits.dropLast()
        default: break
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count <= 9,
            let n = Int(digits)
        else { return nil }
        return n * multiplier
    }
}

/// Why a value was refused; phrased to follow "parameter: ".
public struct ValueError: Error, Hashable, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

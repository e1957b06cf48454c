import L2TPConfig
import L2TPManagement

#if canImport(Glibc)
    import Glibc
#endif

/// How reply fields read in text output: the daemon sends typed values
/// (l2tp_rpc.x `l2tp_value`); a few fields have their traditional spelling
/// (trace flags by name, ON/OFF, YES/NO, SYNC ASYNC, ctime-style times).
public struct FieldText: Sendable {
    /// Print times in UTC instead of the local time zone (tests, logs).
    public var useUTC: Bool

    public init(useUTC: Bool = false) {
        self.useUTC = useUTC
    }

    /// The plain text of a value; trace flags as names.
    public func plain(_ value: ManagementValue?, field: String = "") -> String {
        guard let value else { return "" }
        if field.hasSuffix("trace_flags") {
            switch value {
            case .uint(let bits): return TraceFlags(rawValue: UInt32(truncatingIfNeeded: bits)).description
            case .int(let bits): return TraceFlags(rawValue: UInt32(truncatingIfNeeded: bits)).description
            default: break
            }
        }
        return value.displayText
    }

    /// `plain` as text output prints it: a string a peer sent (host name,
    /// user name, call numbers, result messages) cannot move the cursor,
    /// clear the screen or fake a line (`VisibleText`). Config assembly
    /// takes `plain`; JSON output escapes on its own (RFC 8259).
    public func shown(_ value: ManagementValue?, field: String = "") -> String {
        VisibleText.escaped(plain(value, field: field))
    }

    /// Booleans as ON/OFF.
    public func onOff(_ value: ManagementValue?) -> String {
        switch value {
        case .bool(let flag)?: flag ? "ON" : "OFF"
        case nil, .none?: "-"
        case let other?: VisibleText.escaped(other.displayText.uppercased())
        }
    }

    /// Booleans as YES/NO.
    public func yesNo(_ value: ManagementValue?) -> String {
        switch value {
        case .bool(let flag)?: flag ? "YES" : "NO"
        case nil, .none?: "-"
        case let other?: VisibleText.escaped(other.displayText.uppercased())
        }
    }

    /// `framing_type`/`bearer_type` values (sync|async|any, digital|analog|any)
    /// as the words of the old `session show`.
    public func capabilities(_ value: ManagementValue?, all: [String]) -> String {
        guard let value else { return "-" }
        let text = value.displayText.lowercased()
        if text == "any" || text == "all" { return all.joined(separator: " ") }
        if text.isEmpty || text == "none" { return "NONE" }
        return VisibleText.escaped(text.uppercased())
    }

    /// `session_type` words as the old tool spelled them.
    public func sessionType(_ value: ManagementValue?) -> String {
        let names = [
            "laic": "LAC Incoming Call", "laoc": "LAC Outgoing Call",
            "lnic": "LNS Incoming Call", "lnoc": "LNS Outgoing Call",
        ]
        let text = shown(value)
        return names[text.lowercased()] ?? (text.isEmpty ? "-" : text)
    }

    /// A time: seconds since the epoch formatted like ctime(3) (`withWeekday`)
    /// or without the weekday; a string is printed as the daemon sent it.
    public func time(_ value: ManagementValue?, withWeekday: Bool) -> String {
        let seconds: Int
        switch value {
        case .uint(let number)?: seconds = Int(clamping: number)
        case .int(let number)?: seconds = Int(clamping: number)
        case .string(let text)?: return VisibleText.escaped(text)
        default: return "-"
        }
        var clock = time_t(seconds)
        var parts = tm()
        if useUTC { gmtime_r(&clock, &parts) } else { localtime_r(&clock, &parts) }
        var buffer = [CChar](repeating: 0, count: 64)
        let format = withWeekday ? "%a %b %e %H:%M:%S %Y" : "%b %e %H:%M:%S %Y"
        let count = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

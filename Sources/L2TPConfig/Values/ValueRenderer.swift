/// Rendering of values back to command text (used by help and `config save`).
enum ValueRenderer {
    static func text(_ value: ConfigValue) -> String {
        switch value {
        case .notSet: return ""
        case .bool(let b): return b ? "yes" : "no"
        case .integer(let n), .seconds(let n): return String(n)
        case .ipv4(let a): return a.description
        case .netmask(let m): return m.description
        case .choice(let w): return w
        case .string(let s): return s
        case .traceFlags(let t): return t.description
        case .connectSpeed(let c): return c.description
        }
    }
}

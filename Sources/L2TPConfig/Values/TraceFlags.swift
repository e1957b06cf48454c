/// Trace categories, settable per system, tunnel, session and profile so one
/// busy entity can be traced alone. Bit values are OpenL2TP's, so numeric
/// masks from old configs keep their meaning.
public struct TraceFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let protocolMessages = TraceFlags(rawValue: 1)
    public static let fsm = TraceFlags(rawValue: 2)
    public static let api = TraceFlags(rawValue: 4)
    public static let avp = TraceFlags(rawValue: 8)
    public static let avpHide = TraceFlags(rawValue: 16)
    public static let avpData = TraceFlags(rawValue: 32)
    public static let function = TraceFlags(rawValue: 64)
    public static let transport = TraceFlags(rawValue: 128)
    public static let data = TraceFlags(rawValue: 256)
    public static let system = TraceFlags(rawValue: 512)
    public static let ppp = TraceFlags(rawValue: 1024)

    public static let none: TraceFlags = []
    public static let all = TraceFlags(rawValue: 2047)

    /// Names as written in commands, in bit order.
    public static let names: [(name: String, flag: TraceFlags)] = [
        ("PROTOCOL", .protocolMessages), ("FSM", .fsm), ("API", .api), ("AVP", .avp),
        ("AVP_HIDE", .avpHide), ("AVP_DATA", .avpData), ("FUNC", .function), ("XPRT", .transport),
        ("DATA", .data), ("SYSTEM", .system), ("PPP", .ppp),
    ]

    /// Parses `PROTOCOL,FSM`, `fsm|avp`, `0x41`, `3`, `ALL`, `NONE` and mixes
    /// of names and numbers. Returns a reason on failure.
    public static func parse(_ text: String) -> Result<TraceFlags, ValueError> {
        var result: TraceFlags = []
        let items = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "|" })
        for rawItem in items {
            let item = rawItem.trimmingBlanks.uppercased()
            if item.isEmpty { return .failure(ValueError("'\(VisibleText.escaped(text))' has an empty trace flag")) }
            if item == "ALL" {
                result.formUnion(.all)
                continue
            }
            if item == "NONE" { continue }
            if let named = names.first(where: { $0.name == item }) {
                result.formUnion(named.flag)
                continue
            }
            if let number = IntegerSyntax.parse(item), number >= 0 {
                guard number <= Int(TraceFlags.all.rawValue) else {
                    return .failure(
                        ValueError(
                            "'\(VisibleText.escaped(text))' sets unknown trace flag bits (known flags add up to \(TraceFlags.all.rawValue))"
                        )
                    )
                }
                result.formUnion(TraceFlags(rawValue: UInt32(number)))
                continue
            }
            return .failure(
                ValueError(
                    "'\(VisibleText.escaped(rawItem))' is not a trace flag (\(names.map(\.name).joined(separator: ", ")), ALL, NONE or a number)"
                ))
        }
        return .success(result)
    }

    /// `NONE`, `ALL`, or the names joined by commas: the form `config save` writes.
    public var description: String {
        if isEmpty { return "NONE" }
        if self == .all { return "ALL" }
        return TraceFlags.names.filter { contains($0.flag) }.map(\.name).joined(separator: ",")
    }
}

extension Substring {
    /// The text without leading and trailing blanks (`PROTOCOL, FSM`).
    fileprivate var trimmingBlanks: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

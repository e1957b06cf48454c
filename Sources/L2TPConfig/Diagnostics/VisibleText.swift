/// Text from a user or a peer made safe to put in a message: characters that
/// would not show, or would change how the rest of a terminal line or log line
/// reads (C0 and C1 controls, DEL, Unicode format characters such as bidi
/// overrides, line and paragraph separators), are written as escapes. A
/// backslash is doubled so an escape cannot be faked. Everything else, other
/// scripts included, is kept as it is.
///
/// `VisibleText.escaped("a\nb\u{1B}")` is `a\nb\u{1B}` (as typed here).
public enum VisibleText {
    /// - Parameter doublingBackslashes: false for a whole line that may
    ///   already hold escaped parts (a log handler's last defence): it still
    ///   never splits a line, but a backslash is left as it is, so what was
    ///   escaped before is not escaped twice.
    public static func escaped(_ text: some StringProtocol, doublingBackslashes: Bool = true) -> String {
        // Most text needs nothing: no copy then.
        if !text.unicodeScalars.contains(where: { ($0 == "\\" && doublingBackslashes) || isInvisible($0) }) {
            return String(text)
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += doublingBackslashes ? "\\\\" : "\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isInvisible(scalar):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}

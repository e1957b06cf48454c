/// Text from a user or a peer made safe to put in a message: characters that
/// would not show, or would change how the rest of a terminal line or log line
/// reads (C0 and C1 controls, DEL, Unicode format characters such as bidi
/// overrides, line and paragraph separators), are written as escapes. A
/// backslash is doubled so an escape cannot be faked. Everything else, other
/// scripts included, is kept as it is.
///
/// `VisibleText.escaped("a\nb\u{1B}")` is `a\nb\u{1B}` (as typed here).
public enum VisibleText {
    public static func escaped(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
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

/// Escapes strings a peer controls (Host Name, Vendor Name, result
/// messages) before they reach a log line: a newline, carriage return or
/// escape byte in a Host Name must not forge a log line or drive a terminal.
enum LogEscaping {
    /// Printable ASCII and other printable Unicode stay; `\`, control bytes
    /// and invalid scalars become visible escapes (`\n`, `\x1b`, `\u{85}`).
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if (0x80...0x9f).contains(scalar.value) || scalar.properties.generalCategory == .lineSeparator
                    || scalar.properties.generalCategory == .paragraphSeparator
                {
                    out += "\\u{" + hex(scalar.value, width: 1) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

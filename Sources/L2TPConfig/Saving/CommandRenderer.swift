/// Writes a command back as text that `CommandParser` reads to the same
/// command. Used by `config save` and available to the daemon for the
/// tunnels and sessions it appends.
public enum CommandRenderer {
    /// One command; long argument lists are continued over lines with `\`.
    public static func render(_ command: ParsedCommand, table: CommandTable = .standard) -> String {
        var parts: [String] = []
        let order = table.spec(for: command.path)?.parameters.map(\.name) ?? []
        let named = command.arguments.keys.sorted { lhs, rhs in
            (order.firstIndex(of: lhs) ?? Int.max, lhs.rawValue) < (order.firstIndex(of: rhs) ?? Int.max, rhs.rawValue)
        }
        for name in named {
            parts.append("\(name.rawValue)=\(quotedIfNeeded(ValueRenderer.text(command.arguments[name] ?? .notSet)))")
        }
        parts += BareKeyword.allCases.filter(command.keywords.contains).map(\.rawValue)
        parts += command.unsetParameters.map(\.rawValue)
        let head = command.path.words.joined(separator: " ")
        if parts.count <= 3 {
            return ([head] + parts).joined(separator: " ")
        }
        return head + " " + parts[0] + " \\\n" + parts.dropFirst().map { "\t" + $0 }.joined(separator: " \\\n")
    }

    /// `text` as a value: unchanged when safe, else double-quoted with escapes.
    public static func quotedIfNeeded(_ text: String) -> String {
        let special: Set<Character> = [" ", "\t", "\"", "'", "\\", ";", "#"]
        guard
            text.contains(where: {
                special.contains($0) || $0.isNewline || $0.unicodeScalars.contains { $0.value < 0x20 }
            })
        else {
            return text
        }
        var out = "\""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}

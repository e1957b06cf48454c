/// Context help ready to print.
public struct HelpListing: Hashable, Sendable, CustomStringConvertible {
    public let title: String
    public let entries: [HelpEntry]

    public var description: String {
        let width = min(32, entries.map(\.name.count).max() ?? 0)
        var lines = [title]
        for entry in entries {
            let pad = String(repeating: " ", count: max(0, width - entry.name.count))
            var text = "  " + entry.name + pad + "  " + entry.help
            var notes: [String] = []
            if let expects = entry.expects { notes.append(expects) }
            if entry.isRequired {
                notes.append("required")
            } else if let value = entry.defaultValue {
                notes.append("default \(value)")
            }
            if !notes.isEmpty { text += " [" + notes.joined(separator: "; ") + "]" }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }
}

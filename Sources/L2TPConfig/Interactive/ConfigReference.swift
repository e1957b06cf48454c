/// The command reference as Markdown, generated from the tables so the
/// documentation (docs/configuration.md) cannot drift from the parser; a test
/// compares the two. Also usable for `l2tpconfig help all`.
public enum ConfigReference {
    public static func markdown(table: CommandTable = .standard) -> String {
        var out: [String] = []
        for command in table.commands {
            let name = command.path.description
            out.append("#### `\(name)`")
            out.append("")
            var line = command.help.prefix(1).uppercased() + command.help.dropFirst() + "."
            if case .profile(let kind, let action) = command.path, action == .modify || action == .unset {
                line +=
                    action == .modify
                    ? " Same parameters as `\(kind.rawValue) profile create`; `profile_name` selects the profile."
                    : " Takes `profile_name=` and the names (without values) of `\(kind.rawValue) profile create` parameters."
                out.append(line)
                out.append("")
                continue
            }
            var notes: [String] = []
            for group in command.requiredOneOf {
                notes.append("needs one of " + group.map { "`\($0.rawValue)`" }.joined(separator: ", "))
            }
            for group in command.mutuallyExclusive where !command.requiredOneOf.contains(group) {
                notes.append("at most one of " + group.map { "`\($0.rawValue)`" }.joined(separator: ", "))
            }
            for group in command.keywordGroups {
                notes.append(
                    "keyword" + (group.count > 1 ? "s (at most one) " : " ")
                        + group.map { "`\($0.rawValue)`" }.joined(separator: ", "))
            }
            if command.allowedInConfigFile { notes.append("allowed in the configuration file") }
            if !notes.isEmpty {
                let joined = notes.joined(separator: "; ")
                line += " " + joined.prefix(1).uppercased() + joined.dropFirst() + "."
            }
            out.append(line)
            out.append("")
            if !command.parameters.isEmpty {
                out.append("| parameter | value | default | meaning |")
                out.append("|---|---|---|---|")
                for p in command.parameters {
                    let def = p.isRequired ? "**required**" : p.defaultDescription
                    out.append(
                        "| `\(p.name.rawValue)` | \(p.type.expectation.replacingBars) | \(def.replacingBars) | \(p.help.replacingBars) |"
                    )
                }
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    fileprivate var replacingBars: String {
        var result = ""
        for c in self { if c == "|" { result += "\\|" } else { result.append(c) } }
        return result
    }
}

/// TAB completion and `?` help for the `ippool> ` prompt, from the same
/// command table the parser uses (so the prompt never offers what the parser
/// would refuse).
public enum PoolCompletion {
    /// The finished words of `text` and the word being typed.
    public static func split(_ text: String) -> (words: [String], partial: String) {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if text.hasSuffix(" ") || words.isEmpty { return (words, "") }
        let partial = words.removeLast()
        return (words, partial)
    }

    /// Keywords that can follow `words`, or the command's parameter names not
    /// given yet (as `name=`).
    public static func candidates(after words: [String]) -> [String] {
        let keywords = PoolCommandParser.nextWords(after: words)
        if !keywords.isEmpty { return keywords }
        guard let path = command(words) else { return [] }
        let given = Set(words.compactMap { $0.split(separator: "=").first.map(String.init) })
        return PoolCommandSpec.spec(for: path).parameters.map(\.name).filter { !given.contains($0) }.map { $0 + "=" }
    }

    /// Candidates of `text` that extend the word being typed.
    public static func completions(of text: String) -> [String] {
        let (words, partial) = split(text)
        return candidates(after: words).filter { $0.hasPrefix(partial) }
    }

    /// One line per keyword that can follow, or the command's parameters.
    public static func help(for text: String) -> String {
        let (words, _) = split(text)
        if let path = command(words) {
            let spec = PoolCommandSpec.spec(for: path)
            return
                (["\(path.rawValue): \(spec.help)"]
                + spec.parameters.map {
                    "  \($0.name)\(spec.required.contains($0.name) ? " (required)" : ""): \($0.help)"
                }).joined(separator: "\n")
        }
        return candidates(after: words).map { word in
            let help = PoolCommandSpec.all.first { $0.path.words.starts(with: words + [word]) }?.help ?? ""
            return "  \(word + String(repeating: " ", count: max(0, 12 - word.count))) \(help)"
        }.joined(separator: "\n")
    }

    private static func command(_ words: [String]) -> PoolCommandPath? {
        PoolCommandPath(rawValue: words.prefix { !$0.contains("=") }.joined(separator: " "))
    }
}

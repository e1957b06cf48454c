import L2TPConfig

/// What TAB does to the line left of the cursor, decided from L2TPConfig's
/// completion API: complete the word, extend it to the candidates' common
/// prefix, or list the candidates. Pure, so it is tested without a terminal.
public struct LineCompletion {
    public enum Action: Hashable, Sendable {
        /// Delete `deleting` characters before the cursor, then insert `text`.
        case replace(deleting: Int, text: String)
        /// Several candidates and nothing more to add: show them.
        case list([String])
        /// Nothing fits.
        case none
    }

    public let support: InteractiveSupport
    /// Existing names for values such as `profile_name=` (the daemon's lists);
    /// nil offers only what the grammar knows.
    public let names: ((CompletionNameQuery) -> [String])?

    public init(
        support: InteractiveSupport = InteractiveSupport(),
        names: ((CompletionNameQuery) -> [String])? = nil
    ) {
        self.support = support
        self.names = names
    }

    public func complete(lineToCursor line: String) -> Action {
        var candidates = support.completions(forLine: line, cursor: line.count)
        let word = Self.wordBeforeCursor(line)
        if let named = nameCandidates(line, word) { candidates = named }
        // The prompt's own words (`help`, `quit`, `exit`) complete as the first word.
        if word.count == line.count {
            candidates += Self.shellWords.filter { $0.hasPrefix(word.lowercased()) }
        }
        guard let first = candidates.first else { return .none }
        if candidates.count == 1 {
            // `name=` waits for a value; anything else is a finished word.
            let finished = first.hasSuffix("=") ? first : first + " "
            return finished == word ? .none : .replace(deleting: word.count, text: finished)
        }
        let common = candidates.dropFirst().reduce(first) { Self.commonPrefix($0, $1) }
        if common.count > word.count {
            return .replace(deleting: word.count, text: common)
        }
        return .list(candidates)
    }

    /// `parameter=partial` where the value names an existing profile, tunnel
    /// or session: `parameter=name` for each matching name.
    func nameCandidates(_ line: String, _ word: String) -> [String]? {
        guard let names, let equals = word.firstIndex(of: "=") else { return nil }
        let parameter = String(word[..<equals])
        let partial = String(word[word.index(after: equals)...])
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let query = CompletionNameQuery.forValue(of: parameter, words: Array(words.dropLast())) else {
            return nil
        }
        return names(query).filter { $0.hasPrefix(partial) }.sorted()
            .map { parameter + "=" + CommandRenderer.quotedIfNeeded($0) }
    }

    /// Words the interactive prompt understands besides the command grammar.
    public static let shellWords = ["help", "quit", "exit"]

    /// The characters after the last blank (what a completion replaces).
    static func wordBeforeCursor(_ line: String) -> String {
        String(line.reversed().prefix { $0 != " " && $0 != "\t" }.reversed())
    }

    /// Case-insensitive common prefix, spelled as in `lhs`.
    static func commonPrefix(_ lhs: String, _ rhs: String) -> String {
        var result = ""
        for (l, r) in zip(lhs, rhs) {
            guard l.lowercased() == r.lowercased() else { break }
            result.append(l)
        }
        return result
    }

    /// Candidates in columns across `width` characters, as shells list them.
    public static func columns(_ candidates: [String], width: Int = 80) -> String {
        let cell = (candidates.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / cell)
        var text = ""
        for (index, candidate) in candidates.enumerated() {
            let last = index % perLine == perLine - 1 || index == candidates.count - 1
            text += last ? candidate + "\n" : candidate + String(repeating: " ", count: cell - candidate.count)
        }
        return text
    }
}

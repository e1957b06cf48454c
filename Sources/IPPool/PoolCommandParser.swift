import L2TPConfig

/// Parses ippoolconfig lines and ippoold config files with L2TPConfig's lexer
/// (quoting, `\` continuations, `#` comments, `;`) and its unique-prefix
/// matching of keywords and parameter names, as l2tpconfig does.
public enum PoolCommandParser {
    /// Every command of `text`; errors are collected (one per bad statement),
    /// never thrown half-way, so a config file reports all its mistakes.
    public static func parse(_ text: String, file: String) -> (commands: [PoolCommand], errors: [LocatedPoolError]) {
        let lexed = Lexer(text: text, file: file).tokenize()
        var commands: [PoolCommand] = []
        var errors = lexed.errors.map {
            LocatedPoolError(
                location: $0.location ?? SourceLocation(file: file, line: 0, column: 0), error: .syntax($0.message))
        }
        for statement in lexed.statements where !statement.tokens.isEmpty {
            do {
                commands.append(try parse(statement))
            } catch {
                errors.append(LocatedPoolError(location: statement.location, error: error))
            }
        }
        errors.sort { $0.location.line < $1.location.line }
        return (commands, errors)
    }

    /// One line (ippoolconfig's one-shot and interactive modes).
    public static func parseLine(_ line: String) throws(LocatedPoolError) -> PoolCommand {
        let result = parse(line, file: "<command>")
        if let error = result.errors.first { throw error }
        guard let command = result.commands.first else {
            throw LocatedPoolError(
                location: SourceLocation(file: "<command>", line: 1, column: 0), error: .syntax("empty command"))
        }
        return command
    }

    static func parse(_ statement: Statement) throws(IPPoolError) -> PoolCommand {
        var tokens = statement.tokens[...]
        var words: [String] = []
        var path: PoolCommandPath?
        while path == nil {
            let candidates = nextWords(after: words)
            guard let token = tokens.first else {
                throw .syntax(
                    "incomplete command '\(words.joined(separator: " "))': expected one of \(candidates.joined(separator: ", "))"
                )
            }
            guard case .word(let word) = token.kind else {
                throw .syntax("expected a command word (\(candidates.joined(separator: ", "))) before arguments")
            }
            switch PrefixMatch.match(word, among: candidates) {
            case .exact(let match), .unique(let match): words.append(match)
            case .ambiguous(let matches):
                throw .syntax("'\(word)' is ambiguous: \(matches.joined(separator: ", "))")
            case .none:
                let context = words.isEmpty ? "" : " after '\(words.joined(separator: " "))'"
                throw .syntax(
                    "unknown keyword '\(word)'\(context): expected one of \(candidates.joined(separator: ", "))")
            }
            tokens = tokens.dropFirst()
            path = PoolCommandPath(rawValue: words.joined(separator: " "))
        }
        let spec = PoolCommandSpec.spec(for: path!)
        var arguments: [(name: String, value: String)] = []
        for token in tokens {
            switch token.kind {
            case .word(let word):
                throw .syntax("'\(word)': '\(path!)' takes name=value arguments only")
            case .argument(let name, let value):
                let full: String
                switch PrefixMatch.match(name, among: spec.parameters.map(\.name)) {
                case .exact(let match), .unique(let match): full = match
                case .ambiguous(let matches):
                    throw .syntax("'\(name)' is ambiguous: \(matches.joined(separator: ", "))")
                case .none:
                    throw .unknownParameter(name, command: path!.rawValue, valid: spec.parameters.map(\.name))
                }
                arguments.append((full, value))
            }
        }
        return PoolCommand(path: path!, arguments: try spec.validate(arguments), location: statement.location)
    }

    /// Keywords that may follow `words` (for parsing, completion and help).
    public static func nextWords(after words: [String]) -> [String] {
        var seen: [String] = []
        for path in PoolCommandPath.allCases {
            let pathWords = path.words
            guard pathWords.count > words.count, Array(pathWords.prefix(words.count)) == words else { continue }
            let next = pathWords[words.count]
            if !seen.contains(next) { seen.append(next) }
        }
        return seen
    }
}

/// Splits configuration text into statements and tokens.
///
/// Grammar (docs/configuration.md has the full description):
/// - a statement ends at a newline or an unquoted `;`;
/// - `\` at the end of a line (trailing blanks allowed) continues the statement
///   on the next line, but a blank continuation line ends it: this is how the
///   OpenL2TP quick start's examples, which lost text in extraction, still read;
/// - `#` at the start of a word starts a comment to the end of the line
///   (inside a word, e.g. in a secret, it is an ordinary character);
/// - `'...'` and `"..."` quote; double quotes understand `\\ \" \n \t \r`,
///   single quotes `\\` and `\'`; outside quotes `\x` is a literal `x`;
/// - a word with an unquoted `=` is an argument `name=value`.
///
/// Lexing never stops at the first error: a bad statement is reported and
/// dropped, the next one is lexed normally.
public struct Lexer: Sendable {
    public struct Output: Sendable {
        public var statements: [Statement]
        public var errors: [ConfigError]
        /// True when the text ends inside an unfinished word, e.g. in an open
        /// quote (used by completion).
        public var endsInsideQuote: Bool
        /// True when the last statement was still open at the end of the text
        /// (no newline or `;` after it), i.e. the user is still typing it.
        public var endsInsideStatement: Bool
    }

    private let chars: [Character]
    private let file: String

    public init(text: String, file: String) {
        self.chars = Array(text)
        self.file = file
    }

    // MARK: - State

    private struct State {
        var index = 0
        var line = 1
        var column = 1
        var tokens: [Token] = []
        var statements: [Statement] = []
        var errors: [ConfigError] = []
        var discarding = false
        var nextStartsContinuation = false
        var endsInsideQuote = false
    }

    public func tokenize() -> Output {
        var s = State()
        while s.index < chars.count {
            let c = chars[s.index]
            if c == " " || c == "\t" {
                advance(&s)
            } else if isNewline(c) {
                endStatement(&s)
                advance(&s)
            } else if c == ";" {
                endStatement(&s)
                advance(&s)
            } else if c == "#" {
                while s.index < chars.count, !isNewline(chars[s.index]) { advance(&s) }
            } else if c == "\\", continuationFollows(at: s.index) {
                skipContinuation(&s)
            } else {
                lexWord(&s)
            }
        }
        let open = !s.tokens.isEmpty && !s.discarding
        endStatement(&s)
        return Output(
            statements: s.statements, errors: s.errors, endsInsideQuote: s.endsInsideQuote, endsInsideStatement: open)
    }

    // MARK: - Helpers

    private func isNewline(_ c: Character) -> Bool {
        c == "\n" || c == "\r\n" || c == "\r"
    }

    private func location(_ s: State) -> SourceLocation {
        SourceLocation(file: file, line: s.line, column: s.column)
    }

    private func advance(_ s: inout State) {
        if isNewline(chars[s.index]) {
            s.line += 1
            s.column = 1
        } else {
            s.column += 1
        }
        s.index += 1
    }

    private func endStatement(_ s: inout State) {
        if !s.discarding, !s.tokens.isEmpty {
            s.statements.append(Statement(tokens: s.tokens))
        }
        s.tokens = []
        s.discarding = false
        s.nextStartsContinuation = false
    }

    private func fail(_ s: inout State, _ message: String, at location: SourceLocation) {
        s.errors.append(.syntax(message, at: location))
        s.discarding = true
    }

    /// `\` followed by optional blanks and then a newline or the end of text.
    private func continuationFollows(at index: Int) -> Bool {
        var i = index + 1
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        return i == chars.count || isNewline(chars[i])
    }

    /// Consumes `\`, blanks and the newline. A following line with nothing on
    /// it (blanks only, or end of text) ends the statement.
    private func skipContinuation(_ s: inout State) {
        advance(&s)
        while s.index < chars.count, !isNewline(chars[s.index]) { advance(&s) }
        if s.index < chars.count { advance(&s) }
        var i = s.index
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        if i == chars.count || isNewline(chars[i]) {
            endStatement(&s)
        } else {
            s.nextStartsContinuation = true
        }
    }

    // MARK: - Words

    private func lexWord(_ s: inout State) {
        let start = location(s)
        var buffer = ""
        var name: String?
        var valueLocation: SourceLocation?
        let startsContinuation = s.nextStartsContinuation
        s.nextStartsContinuation = false

        wordLoop: while s.index < chars.count {
            let c = chars[s.index]
            switch c {
            case " ", "\t", ";":
                break wordLoop
            case _ where isNewline(c):
                break wordLoop
            case "\\":
                if continuationFollows(at: s.index) { break wordLoop }
                advance(&s)
                if s.index < chars.count {
                    buffer.append(chars[s.index])
                    advance(&s)
                }
            case "\"", "'":
                let quoteLocation = location(s)
                guard let quoted = lexQuoted(&s, quote: c) else {
                    if s.index >= chars.count { s.endsInsideQuote = true }
                    fail(&s, "unterminated \(c == "\"" ? "double" : "single")-quoted string", at: quoteLocation)
                    return
                }
                guard case .success(let text) = quoted else {
                    if case .failure(let message) = quoted { fail(&s, message.text, at: message.location) }
                    return
                }
                buffer += text
            case "=" where name == nil:
                if buffer.isEmpty {
                    fail(&s, "missing parameter name before '='", at: location(s))
                }
                name = buffer
                buffer = ""
                advance(&s)
                valueLocation = location(s)
            default:
                buffer.append(c)
                advance(&s)
            }
        }

        let kind: Token.Kind = name.map { .argument(name: $0, value: buffer) } ?? .word(buffer)
        s.tokens.append(
            Token(kind: kind, location: start, valueLocation: valueLocation, startsContinuationLine: startsContinuation)
        )
    }

    private struct LexMessage: Error {
        var text: String
        var location: SourceLocation
    }

    /// Reads a quoted section starting at the opening quote. Returns nil when
    /// the line or text ends before the closing quote.
    private func lexQuoted(_ s: inout State, quote: Character) -> Result<String, LexMessage>? {
        advance(&s)
        var text = ""
        var failure: LexMessage?
        while s.index < chars.count {
            let c = chars[s.index]
            if isNewline(c) { return nil }
            if c == quote {
                advance(&s)
                if let failure { return .failure(failure) }
                return .success(text)
            }
            if c == "\\", s.index + 1 < chars.count, !isNewline(chars[s.index + 1]) {
                let escapeLocation = location(s)
                advance(&s)
                let e = chars[s.index]
                advance(&s)
                switch (quote, e) {
                case (_, "\\"): text.append("\\")
                case (_, _) where e == quote: text.append(e)
                case ("\"", "n"): text.append("\n")
                case ("\"", "t"): text.append("\t")
                case ("\"", "r"): text.append("\r")
                case ("\"", "'"): text.append("'")
                case ("'", _):
                    text.append("\\")
                    text.append(e)
                default:
                    if failure == nil {
                        failure = LexMessage(
                            text: "unknown escape '\\\(e)' in double-quoted string", location: escapeLocation)
                    }
                }
                continue
            }
            text.append(c)
            advance(&s)
        }
        return nil
    }
}

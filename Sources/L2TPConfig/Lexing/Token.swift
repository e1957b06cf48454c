/// One word of a statement after quoting and escapes are resolved.
///
/// The lexer splits `name=value` at the first unquoted `=`, so the parser never
/// has to re-scan text and every value keeps its own location for messages.
public struct Token: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A keyword or bare argument such as `tunnel` or `local_only`.
        case word(String)
        /// `name=value`; `value` is empty for `name=`.
        case argument(name: String, value: String)
    }

    public var kind: Kind
    /// Where the token starts.
    public var location: SourceLocation
    /// Where the value of an argument starts (just after `=`).
    public var valueLocation: SourceLocation?
    /// True for the first token of a line that was reached through a trailing
    /// `\`. The parser uses it to notice a command that was glued onto the
    /// previous one by a stray continuation (see docs/configuration.md).
    public var startsContinuationLine: Bool

    public init(
        kind: Kind, location: SourceLocation, valueLocation: SourceLocation? = nil, startsContinuationLine: Bool = false
    ) {
        self.kind = kind
        self.location = location
        self.valueLocation = valueLocation
        self.startsContinuationLine = startsContinuationLine
    }
}

/// The tokens of one statement: text up to a newline or `;`, with `\`
/// continuations joined.
public struct Statement: Hashable, Sendable {
    public var tokens: [Token]
    public var location: SourceLocation { tokens.first?.location ?? SourceLocation(file: "", line: 0, column: 0) }

    public init(tokens: [Token]) {
        self.tokens = tokens
    }
}

/// Turns text into `ParsedCommand`s: keywords walk the command tree, arguments
/// are matched against the command's parameter table and parsed to typed
/// values. Parsing checks syntax, names and value types; `CommandValidator`
/// then checks required parameters and combinations.
public struct CommandParser: Sendable {
    public struct Output: Sendable {
        public var commands: [ParsedCommand]
        public var errors: [ConfigError]
        public var warnings: [ConfigWarning]
    }

    public let table: CommandTable

    public init(table: CommandTable = .standard) {
        self.table = table
    }

    /// Parses all statements of `text`, collecting every error.
    public func parse(_ text: String, file: String = "<input>") -> Output {
        let lexed = Lexer(text: text, file: file).tokenize()
        var output = Output(commands: [], errors: lexed.errors, warnings: [])
        for statement in lexed.statements {
            var remaining: ArraySlice<Token>? = statement.tokens[...]
            while let tokens = remaining {
                remaining = parse(tokens: tokens, into: &output)
            }
        }
        output.errors.sort {
            ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
        }
        return output
    }

    /// Parses one command line (the CLI's entry point); throws the first error.
    public func parseCommand(_ line: String, file: String = "<command>") throws(ConfigError) -> ParsedCommand {
        let output = parse(line, file: file)
        if let error = output.errors.first { throw error }
        guard output.commands.count == 1, let command = output.commands.first else {
            throw .syntax(
                output.commands.isEmpty ? "no command given" : "expected one command, found \(output.commands.count)",
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        return command
    }

    /// `parseCommand` plus `CommandValidator`: what l2tpconfig runs before
    /// sending a command to the daemon. Throws the first problem.
    public func parseValidatedCommand(_ line: String, file: String = "<command>") throws(ConfigError) -> ParsedCommand {
        let command = try parseCommand(line, file: file)
        if let problem = CommandValidator.validate(command, table: table).first { throw problem }
        return command
    }

    // MARK: - Keywords

    /// Walks the keyword tree. Returns the command spec and the remaining tokens.
    func resolveKeywords(_ tokens: ArraySlice<Token>) -> Result<(CommandSpec, ArraySlice<Token>), ConfigError> {
        var node = table.root
        var rest = tokens
        var spelled: [String] = []
        while node.command == nil {
            let expected = node.children.map(\.keyword)
            guard let token = rest.first else {
                let location = tokens.last?.location
                return .failure(.incompleteCommand(spelled.joined(separator: " "), expected: expected, at: location))
            }
            guard case .word(let word) = token.kind else {
                if spelled.isEmpty {
                    return .failure(
                        .syntax(
                            "a command must start with a keyword; expected one of: \(expected.joined(separator: ", "))",
                            at: token.location))
                }
                return .failure(
                    .incompleteCommand(spelled.joined(separator: " "), expected: expected, at: token.location))
            }
            switch PrefixMatch.match(word, among: expected) {
            case .exact(let k), .unique(let k):
                node = node.child(k)!
                spelled.append(k)
                rest = rest.dropFirst()
            case .ambiguous(let ks):
                return .failure(.ambiguousKeyword(word, matches: ks, at: token.location))
            case .none:
                return .failure(
                    .unknownKeyword(
                        word, expected: expected, context: spelled.joined(separator: " "), at: token.location))
            }
        }
        return .success((node.command!, rest))
    }

    // MARK: - Statements

    /// Parses one command from `tokens`. Returns the tokens of a further
    /// command glued on by a stray continuation, if any (iteration rather than
    /// recursion, so no input can exhaust the stack).
    private func parse(tokens: ArraySlice<Token>, into output: inout Output) -> ArraySlice<Token>? {
        let spec: CommandSpec
        var rest: ArraySlice<Token>
        switch resolveKeywords(tokens) {
        case .failure(let error):
            output.errors.append(error)
            return nil
        case .success(let resolved):
            (spec, rest) = resolved
        }
        guard let first = tokens.first else { return nil }
        var command = ParsedCommand(path: spec.path, location: first.location)
        let commandName = spec.path.description
        var failed = false

        while let token = rest.first {
            let fromHere = rest
            rest = rest.dropFirst()
            switch token.kind {
            case .argument(let name, let value):
                guard
                    let parameter = matchParameter(
                        name, in: spec.parameters, command: commandName, at: token.location, output: &output)
                else {
                    failed = true
                    continue
                }
                do throws(ConfigError) {
                    try command.add(
                        parameter, text: value, of: spec, at: token.location,
                        valueAt: token.valueLocation ?? token.location)
                } catch {
                    output.errors.append(error)
                    failed = true
                }
            case .word(let word):
                if parseBareWord(word, token: token, spec: spec, command: &command, output: &output, failed: &failed) {
                    continue
                }
                // A stray `\` glued the next command onto this one: split here.
                if token.startsContinuationLine, case .success = resolveKeywords(fromHere),
                    table.root.children.contains(where: { $0.keyword == word.lowercased() })
                {
                    output.warnings.append(
                        ConfigWarning(
                            "'\(word)' starts a new command on a line continued from the previous one; treating the previous line's trailing '\\' as the end of '\(commandName)'",
                            at: token.location))
                    if !failed { output.commands.append(command) }
                    return fromHere
                }
                let valid =
                    spec.takesParameterNames
                    ? spec.unsettableParameters.map(\.name.rawValue) : spec.bareKeywords.map(\.rawValue)
                output.errors.append(.unexpectedWord(word, command: commandName, valid: valid, at: token.location))
                failed = true
            }
        }
        if !failed { output.commands.append(command) }
        return nil
    }

    /// Handles a bare word as a keyword argument or an unset parameter name.
    /// Returns false when the word is neither.
    private func parseBareWord(
        _ word: String, token: Token, spec: CommandSpec, command: inout ParsedCommand,
        output: inout Output, failed: inout Bool
    ) -> Bool {
        do throws(ConfigError) {
            if spec.takesParameterNames {
                let names = spec.unsettableParameters.map(\.name.rawValue)
                switch PrefixMatch.match(word, among: names) {
                case .exact(let n), .unique(let n):
                    try command.unset(ParameterName(rawValue: n)!, at: token.location)
                    return true
                case .ambiguous(let ns):
                    throw .ambiguousParameter(word, matches: ns, at: token.location)
                case .none:
                    return false
                }
            }
            switch PrefixMatch.match(word, among: spec.bareKeywords.map(\.rawValue)) {
            case .exact(let w), .unique(let w):
                try command.add(BareKeyword(rawValue: w)!, of: spec, at: token.location)
                return true
            case .ambiguous(let ws):
                throw .ambiguousKeyword(word, matches: ws, at: token.location)
            case .none:
                return false
            }
        } catch {
            output.errors.append(error)
            failed = true
            return true
        }
    }

    private func matchParameter(
        _ name: String, in parameters: [ParameterSpec], command: String, at location: SourceLocation,
        output: inout Output
    ) -> ParameterSpec? {
        let names = parameters.map(\.name.rawValue)
        switch PrefixMatch.match(name, among: names) {
        case .exact(let n), .unique(let n):
            return parameters.first { $0.name.rawValue == n }
        case .ambiguous(let ns):
            output.errors.append(.ambiguousParameter(name, matches: ns, at: location))
        case .none:
            output.errors.append(.unknownParameter(name, command: command, valid: names, at: location))
        }
        return nil
    }
}

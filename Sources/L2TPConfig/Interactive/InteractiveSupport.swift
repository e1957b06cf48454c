/// What l2tpconfig's line editor needs: TAB completion and context help for
/// a partly typed command, from the same table the parser uses.
public struct InteractiveSupport: Sendable {
    public let table: CommandTable

    public init(table: CommandTable = .standard) {
        self.table = table
    }

    // MARK: - Context

    /// Where the cursor is in the command being typed.
    struct Context {
        enum Position {
            /// Among keywords; `node` lists the possible next keywords.
            case keywords(CommandNode)
            /// Among the arguments of a command.
            case arguments(CommandSpec, given: Set<ParameterName>, keywords: Set<BareKeyword>)
        }
        var position: Position
        /// The word under the cursor, if the cursor is not after a blank.
        var partial: Token.Kind?
    }

    func context(for text: String) -> Context? {
        let lexed = Lexer(text: text, file: "<line>").tokenize()
        if lexed.endsInsideQuote { return nil }
        var tokens = lexed.endsInsideStatement ? lexed.statements.last?.tokens ?? [] : []
        var partial: Token.Kind?
        if let last = text.last, last != " ", last != "\t", last != ";", !last.isNewline, let token = tokens.last {
            partial = token.kind
            tokens.removeLast()
        }
        var node = table.root
        var index = 0
        while node.command == nil {
            guard index < tokens.count else { return Context(position: .keywords(node), partial: partial) }
            guard case .word(let word) = tokens[index].kind else { return nil }
            switch PrefixMatch.match(word, among: node.children.map(\.keyword)) {
            case .exact(let k), .unique(let k): node = node.child(k)!
            case .ambiguous, .none: return nil
            }
            index += 1
        }
        guard let spec = node.command else { return nil }
        var given: Set<ParameterName> = []
        var keywords: Set<BareKeyword> = []
        for token in tokens[index...] {
            switch token.kind {
            case .argument(let name, _):
                if let match = uniqueName(name, among: spec.parameters.map(\.name.rawValue)) {
                    given.insert(ParameterName(rawValue: match)!)
                }
            case .word(let word):
                if spec.takesParameterNames,
                    let match = uniqueName(word, among: spec.unsettableParameters.map(\.name.rawValue))
                {
                    given.insert(ParameterName(rawValue: match)!)
                } else if let match = uniqueName(word, among: spec.bareKeywords.map(\.rawValue)) {
                    keywords.insert(BareKeyword(rawValue: match)!)
                }
            }
        }
        return Context(position: .arguments(spec, given: given, keywords: keywords), partial: partial)
    }

    private func uniqueName(_ word: String, among names: [String]) -> String? {
        switch PrefixMatch.match(word, among: names) {
        case .exact(let n), .unique(let n): return n
        default: return nil
        }
    }

    private static func filter(_ candidates: [String], by prefix: String) -> [String] {
        let lower = prefix.lowercased()
        return candidates.filter { $0.lowercased().hasPrefix(lower) }
    }

    // MARK: - Completion

    /// Words that can replace the word under the cursor (or follow it, when the
    /// cursor is after a blank): keywords, `name=` for parameters not yet
    /// given, bare keywords, and `name=value` for yes/no and enumerated values.
    /// `cursor` counts characters; text after it is ignored.
    /// Pass `profiles` to also complete profile names after `profile_name=`
    /// and the `*_profile_name=` parameters.
    public func completions(forLine line: String, cursor: Int, profiles: ProfileStore? = nil) -> [String] {
        let text = String(line.prefix(max(0, cursor)))
        guard let context = context(for: text) else { return [] }
        switch context.position {
        case .keywords(let node):
            guard case .word(let word)? = context.partial ?? .word("") else { return [] }
            return Self.filter(node.children.map(\.keyword), by: word)
        case .arguments(let spec, let given, let keywords):
            switch context.partial ?? .word("") {
            case .argument(let name, let value):
                guard let match = uniqueName(name, among: spec.parameters.map(\.name.rawValue)),
                    let parameter = spec.parameter(ParameterName(rawValue: match)!)
                else { return [] }
                var values: [String]
                switch parameter.type {
                case .bool: values = ["yes", "no"]
                case .choice(let words): values = words
                case .traceFlags: values = TraceFlags.names.map(\.name) + ["ALL", "NONE"]
                default: values = []
                }
                if let profiles, let kind = Self.profileKind(named: parameter.name, in: spec.path) {
                    values = profiles.names(kind).map(CommandRenderer.quotedIfNeeded)
                }
                return Self.filter(values, by: value).map { "\(match)=\($0)" }
            case .word(let word):
                var candidates: [String]
                if spec.takesParameterNames {
                    candidates = spec.parameters.filter { $0.name == .profileName && !given.contains($0.name) }.map {
                        "\($0.name.rawValue)="
                    }
                    candidates += spec.unsettableParameters.filter { !given.contains($0.name) }.map(\.name.rawValue)
                } else {
                    candidates = spec.parameters.filter { !given.contains($0.name) }.map { "\($0.name.rawValue)=" }
                }
                candidates += spec.keywordGroups.filter { $0.allSatisfy { !keywords.contains($0) } }.flatMap { $0 }.map(
                    \.rawValue)
                return Self.filter(candidates, by: word)
            }
        }
    }

    /// Which kind of profile a parameter names in a command, if any.
    static func profileKind(named parameter: ParameterName, in path: CommandPath) -> ProfileKind? {
        switch parameter {
        case .tunnelProfileName: return .tunnel
        case .sessionProfileName: return .session
        case .pppProfileName: return .ppp
        case .peerProfileName: return .peer
        case .profileName:
            switch path {
            case .profile(let kind, let action): return action == .create ? nil : kind
            case .tunnelCreate: return .tunnel
            case .sessionCreate: return .session
            default: return nil
            }
        default: return nil
        }
    }

    // MARK: - Help

    /// The commands or parameters valid at the end of `line`, with help text,
    /// defaults and whether they are required.
    public func help(forLine line: String) -> HelpListing {
        guard let context = context(for: line) else {
            return HelpListing(title: "no help: the line does not start with a known command", entries: [])
        }
        var prefix = ""
        if case .word(let word)? = context.partial { prefix = word }
        if case .argument(let name, _)? = context.partial { prefix = name }
        switch context.position {
        case .keywords(let node):
            let entries = node.children.filter { $0.keyword.lowercased().hasPrefix(prefix.lowercased()) }
                .map { HelpEntry(name: $0.keyword, help: $0.help) }
            let path = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropLast(prefix.isEmpty ? 0 : 1).joined(
                separator: " ")
            return HelpListing(title: path.isEmpty ? "commands:" : "'\(path)' continues with:", entries: entries)
        case .arguments(let spec, _, _):
            var entries = spec.parameters.map { parameter in
                HelpEntry(
                    name: parameter.name.rawValue, help: parameter.help, expects: parameter.type.expectation,
                    defaultValue: parameter.isRequired ? nil : parameter.defaultDescription,
                    isRequired: parameter.isRequired || spec.requiredOneOf.contains { $0.contains(parameter.name) })
            }
            entries += spec.bareKeywords.map { HelpEntry(name: $0.rawValue, help: "keyword argument") }
            entries = entries.filter { $0.name.lowercased().hasPrefix(prefix.lowercased()) }
            return HelpListing(title: "\(spec.path): \(spec.help)", entries: entries)
        }
    }
}

/// A leaf of the command tree: one command and the arguments it takes.
public struct CommandSpec: Sendable {
    public let path: CommandPath
    public let help: String
    public let parameters: [ParameterSpec]
    /// Groups of which at least one parameter must be given (e.g. `tunnel_id`
    /// or `tunnel_name`).
    public let requiredOneOf: [[ParameterName]]
    /// Groups of which at most one parameter may be given.
    public let mutuallyExclusive: [[ParameterName]]
    /// Bare-word arguments; at most one word of each group may be given.
    public let keywordGroups: [[BareKeyword]]
    /// `profile unset`: bare words are parameter names to reset.
    public let takesParameterNames: Bool
    /// Whether the command may appear in /etc/openl2tpd.conf.
    public let allowedInConfigFile: Bool

    init(_ path: CommandPath, _ help: String, parameters: [ParameterSpec] = [], requiredOneOf: [[ParameterName]] = [],
         mutuallyExclusive: [[ParameterName]] = [], keywords: [[BareKeyword]] = [], takesParameterNames: Bool = false,
         inConfigFile: Bool = false) {
        self.path = path
        self.help = help
        self.parameters = parameters
        self.requiredOneOf = requiredOneOf
        self.mutuallyExclusive = mutuallyExclusive
        self.keywordGroups = keywords
        self.takesParameterNames = takesParameterNames
        self.allowedInConfigFile = inConfigFile
    }

    public func parameter(_ name: ParameterName) -> ParameterSpec? {
        parameters.first { $0.name == name }
    }

    public var bareKeywords: [BareKeyword] { keywordGroups.flatMap { $0 } }

    /// Parameters `unset` can reset: the profile's own, not `profile_name`.
    public var unsettableParameters: [ParameterSpec] {
        takesParameterNames ? parameters.filter { $0.name != .profileName } : []
    }
}

/// A node of the keyword tree: either a command or a set of sub-keywords.
public struct CommandNode: Sendable {
    public let keyword: String
    public let help: String
    public let children: [CommandNode]
    public let command: CommandSpec?

    init(_ keyword: String, _ help: String, _ children: [CommandNode]) {
        self.keyword = keyword
        self.help = help
        self.children = children
        self.command = nil
    }

    init(_ keyword: String, _ command: CommandSpec) {
        self.keyword = keyword
        self.help = command.help
        self.children = []
        self.command = command
    }

    public func child(_ keyword: String) -> CommandNode? {
        children.first { $0.keyword == keyword }
    }
}

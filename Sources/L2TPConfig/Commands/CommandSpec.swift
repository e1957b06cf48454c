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

    init(
        _ path: CommandPath, _ help: String, parameters: [ParameterSpec] = [], requiredOneOf: [[ParameterName]] = [],
        mutuallyExclusive: [[ParameterName]] = [], keywords: [[BareKeyword]] = [], takesParameterNames: Bool = false,
        inConfigFile: Bool = false
    ) {
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

    /// The parameter spelled exactly `name` (same case, no prefix, nothing
    /// around it), for arguments that arrive already split into name and value.
    public func parameter(exactly name: String) -> ParameterSpec? {
        parameters.first { $0.name.rawValue == name }
    }

    /// The bare keyword of this command spelled exactly `name`.
    public func bareKeyword(exactly name: String) -> BareKeyword? {
        bareKeywords.first { $0.rawValue == name }
    }

    /// Every name an argument of this command can have: parameters, then bare keywords.
    public var argumentNames: [String] {
        parameters.map(\.name.rawValue) + bareKeywords.map(\.rawValue)
    }

    public var bareKeywords: [BareKeyword] { keywordGroups.flatMap { $0 } }

    /// Parameters `unset` can reset: the profile's own, not `profile_name`.
    public var unsettableParameters: [ParameterSpec] {
        takesParameterNames ? parameters.filter { $0.name != .profileName } : []
    }
}

/// One line of context help.
public struct HelpEntry: Hashable, Sendable {
    public let name: String
    public let help: String
    /// What the value looks like, e.g. "a number (0..65535)".
    public let expects: String?
    /// The default as written in commands, or a phrase like "ephemeral".
    public let defaultValue: String?
    public let isRequired: Bool

    public init(
        name: String, help: String, expects: String? = nil, defaultValue: String? = nil, isRequired: Bool = false
    ) {
        self.name = name
        self.help = help
        self.expects = expects
        self.defaultValue = defaultValue
        self.isRequired = isRequired
    }
}

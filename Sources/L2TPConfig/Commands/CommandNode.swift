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

/// Commands whose arguments arrive already split into names and values, as
/// the management RPC's requests do (docs/management.md). Nothing is lexed:
/// a name is looked up as one whole word and a value is handed to its type as
/// it is, so no character of either can start another argument or command.
extension CommandParser {
    /// `path` with `arguments` in their order, checked as
    /// `parseValidatedCommand` checks a command line, with the same messages:
    ///
    /// - a name is exactly one parameter or bare keyword of the command: same
    ///   spelling and case, never a prefix (`max_tunnels=5 deny_local_tunnel_creates`
    ///   is one unknown name, not two arguments);
    /// - a parameter's value is converted by its type (`ParameterSpec.value`),
    ///   empty meaning "not set";
    /// - a bare keyword's value is a boolean (`local_only=yes`; empty also
    ///   means yes); false leaves the keyword out;
    /// - in `* profile unset` the names to reset come with empty values.
    ///
    /// The command is at `FILE:1`; an argument at `FILE:1:N`, N being its
    /// position in `arguments` (from 1).
    public func validatedCommand(
        _ path: CommandPath, arguments: [(name: String, value: String)], file: String = "<request>"
    ) throws(ConfigError) -> ParsedCommand {
        let location = SourceLocation(file: file, line: 1, column: 0)
        guard let spec = table.spec(for: path) else {
            throw .syntax("'\(path)' is not a command of this table", at: location)
        }
        var command = ParsedCommand(path: path, location: location)
        for (index, argument) in arguments.enumerated() {
            let at = SourceLocation(file: file, line: 1, column: index + 1)
            if let keyword = spec.bareKeyword(exactly: argument.name) {
                if try Self.keywordIsOn(keyword, argument.value, at: at) { try command.add(keyword, of: spec, at: at) }
            } else if let parameter = spec.parameter(exactly: argument.name) {
                try command.add(parameter, text: argument.value, of: spec, at: at, valueAt: at)
            } else {
                throw .unknownParameter(argument.name, command: path.description, valid: spec.argumentNames, at: at)
            }
        }
        if let problem = CommandValidator.validate(command, table: table).first { throw problem }
        return command
    }

    /// A bare keyword's value, read as the grammar reads a yes/no parameter.
    static func keywordIsOn(_ keyword: BareKeyword, _ text: String, at location: SourceLocation) throws(ConfigError)
        -> Bool
    {
        if text.isEmpty { return true }
        switch ValueType.bool.parse(text) {
        case .success(let value): return value.boolValue == true
        case .failure(let error): throw .invalidValue(parameter: keyword.rawValue, reason: error.reason, at: location)
        }
    }
}

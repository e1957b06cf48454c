/// Checks what parsing cannot see token by token: required parameters
/// (including ones given an empty value), "one of" groups and exclusive pairs.
public enum CommandValidator {
    public static func validate(_ command: ParsedCommand, table: CommandTable = .standard) -> [ConfigError] {
        guard let spec = table.spec(for: command.path) else { return [] }
        var errors: [ConfigError] = []
        let name = command.path.description
        for parameter in spec.parameters where parameter.isRequired {
            if command[parameter.name] == nil {
                let emptyGiven = command.arguments[parameter.name] == .notSet
                errors.append(
                    .missingParameter(
                        parameter.name.rawValue, command: name, emptyGiven: emptyGiven,
                        at: command.location(of: parameter.name)))
            }
        }
        for group in spec.requiredOneOf where !group.contains(where: { command[$0] != nil }) {
            errors.append(.missingOneOf(group.map(\.rawValue), command: name, at: command.location))
        }
        for group in spec.mutuallyExclusive {
            let given = group.filter { command[$0] != nil }
            if given.count > 1 {
                errors.append(
                    .conflicting(
                        "give only one of \(given.map(\.rawValue).joined(separator: ", "))",
                        at: command.location(of: given[1])))
            }
        }
        switch command.path {
        case .debugModify, .debugShow:
            let session = command[.sessionID] != nil || command[.sessionName] != nil
            let tunnel = command[.tunnelID] != nil || command[.tunnelName] != nil
            if session && !tunnel {
                errors.append(.missingOneOf(["tunnel_id", "tunnel_name"], command: name, at: command.location))
            }
        case .profile(_, .unset):
            if command.unsetParameters.isEmpty {
                errors.append(.syntax("'\(name)' needs the names of the parameters to reset", at: command.location))
            }
        default:
            break
        }
        return errors
    }
}

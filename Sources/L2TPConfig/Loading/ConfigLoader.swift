/// Reads a whole configuration file (/etc/openl2tpd.conf or `config restore`).
///
/// The result is pure data: a new model built from the defaults plus the
/// file, the commands the daemon must carry out (tunnel/session creates and
/// modifies, debug settings), and every error and warning. The daemon refuses
/// to start when `errors` is not empty; on SIGHUP it swaps in `model` only
/// when loading succeeded, so a bad file keeps the running configuration.
public struct ConfigLoadResult: Sendable {
    public var model: ConfigModel
    /// Commands for the daemon to act on, in file order.
    public var actions: [ParsedCommand]
    public var errors: [ConfigError]
    public var warnings: [ConfigWarning]

    public var succeeded: Bool { errors.isEmpty }

    /// The model and actions, or all errors as one `ConfigLoadFailure`.
    public func get() throws(ConfigLoadFailure) -> (model: ConfigModel, actions: [ParsedCommand]) {
        guard succeeded else { throw ConfigLoadFailure(errors: errors) }
        return (model, actions)
    }
}

/// All errors of a configuration file, one `FILE:LINE:COLUMN: message` per line.
public struct ConfigLoadFailure: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

public enum ConfigLoader {
    /// Parses and applies `text`. `base` is the model to start from: the
    /// defaults for startup and SIGHUP (OpenL2TP semantics), or the running
    /// model for `config restore`.
    public static func load(text: String, file: String, base: ConfigModel = ConfigModel(),
                            table: CommandTable = .standard) -> ConfigLoadResult {
        let parsed = CommandParser(table: table).parse(text, file: file)
        var result = ConfigLoadResult(model: base, actions: [], errors: parsed.errors, warnings: parsed.warnings)
        var referenceLocations: [String: SourceLocation] = [:]

        for command in parsed.commands {
            guard let spec = table.spec(for: command.path), spec.allowedInConfigFile else {
                result.errors.append(.notAllowedHere("'\(command.path)' is not allowed in a configuration file", at: command.location))
                continue
            }
            let problems = CommandValidator.validate(command, table: table)
            if !problems.isEmpty {
                result.errors += problems
                continue
            }
            do throws(ConfigError) {
                if try result.model.apply(command, references: .deferred) == .notAModelCommand {
                    result.actions.append(command)
                }
            } catch {
                result.errors.append(error)
                continue
            }
            if case .profile(let kind, .create) = command.path, let name = command.string(.profileName) {
                for (parameter, _) in ProfileKind.references(of: kind) where command[parameter] != nil {
                    referenceLocations[referenceKey(kind, name, parameter)] = command.location(of: parameter)
                }
            } else if case .profile(let kind, .modify) = command.path, let name = command.string(.profileName) {
                for (parameter, _) in ProfileKind.references(of: kind) where command.arguments[parameter] != nil {
                    referenceLocations[referenceKey(kind, name, parameter)] = command.location(of: parameter)
                }
            }
        }

        // References are checked once the whole file is read, so profiles may
        // name profiles defined further down.
        for dangling in result.model.profiles.danglingReferences() {
            let location = referenceLocations[referenceKey(dangling.kind, dangling.profile, dangling.parameter)]
            result.errors.append(dangling.error.located(at: location))
        }
        for action in result.actions {
            result.errors += missingProfiles(in: action, model: result.model)
        }
        result.errors.sort { lhs, rhs in
            (lhs.location?.line ?? 0, lhs.location?.column ?? 0) < (rhs.location?.line ?? 0, rhs.location?.column ?? 0)
        }
        return result
    }

    /// Profile names used by tunnel/session commands that the model lacks.
    static func missingProfiles(in command: ParsedCommand, model: ConfigModel) -> [ConfigError] {
        let checks: [(ParameterName, ProfileKind)]
        switch command.path {
        case .tunnelCreate: checks = [(.profileName, .tunnel), (.peerProfileName, .peer), (.sessionProfileName, .session), (.pppProfileName, .ppp)]
        case .tunnelModify: checks = [(.peerProfileName, .peer), (.sessionProfileName, .session), (.pppProfileName, .ppp)]
        case .sessionCreate: checks = [(.profileName, .session), (.pppProfileName, .ppp)]
        default: checks = []
        }
        return checks.compactMap { parameter, kind in
            guard let name = command.string(parameter), !model.profiles.contains(kind, name) else { return nil }
            return ConfigError.profileNotFound(kind, name, referencedBy: "\(parameter.rawValue) of '\(command.path)'")
                .located(at: command.location(of: parameter))
        }
    }

    private static func referenceKey(_ kind: ProfileKind, _ name: String, _ parameter: ParameterName) -> String {
        "\(kind.rawValue)\u{0}\(name)\u{0}\(parameter.rawValue)"
    }
}

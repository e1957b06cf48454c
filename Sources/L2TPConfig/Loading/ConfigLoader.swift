/// Reads a whole configuration file (/etc/openl2tpd.conf or `config restore`).
///
/// The result is pure data: a new model built from the defaults plus the
/// file, the commands the daemon must carry out (tunnel/session creates and
/// modifies, debug settings), and every error and warning. The daemon refuses
/// to start when `errors` is not empty; on SIGHUP it swaps in `model` only
/// when loading succeeded, so a bad file keeps the running configuration.
public enum ConfigLoader {
    /// Parses and applies `text`. `base` is the model to start from: the
    /// defaults for startup and SIGHUP (OpenL2TP semantics), or the running
    /// model for `config restore`.
    public static func load(
        text: String, file: String, base: ConfigModel = ConfigModel(),
        table: CommandTable = .standard
    ) -> ConfigLoadResult {
        let parsed = CommandParser(table: table).parse(text, file: file)
        var result = ConfigLoadResult(model: base, actions: [], errors: parsed.errors, warnings: parsed.warnings)
        var referenceLocations: [String: SourceLocation] = [:]

        for command in parsed.commands {
            guard let spec = table.spec(for: command.path), spec.allowedInConfigFile else {
                result.errors.append(
                    .notAllowedHere("'\(command.path)' is not allowed in a configuration file", at: command.location))
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
            if case .profile(let kind, let action) = command.path, let name = command.string(.profileName),
                action != .delete
            {
                referenceLocations[referenceKey(kind, name, .profileName)] = command.location
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
            let missing = missingProfiles(in: action, model: result.model)
            result.errors += missing
            // Resolve local tunnels now, so e.g. hide_avps without a secret is
            // reported at load time rather than when the tunnel is set up.
            if missing.isEmpty, action.path == .tunnelCreate {
                do throws(ConfigError) {
                    _ = try result.model.profiles.resolveLocalTunnel(action)
                } catch {
                    result.errors.append(error)
                }
            }
        }
        result.warnings += secretWarnings(result.model, locations: referenceLocations)
        checkTunnelNames(&result)
        result.errors.sort { lhs, rhs in
            (lhs.location?.line ?? 0, lhs.location?.column ?? 0) < (rhs.location?.line ?? 0, rhs.location?.column ?? 0)
        }
        result.warnings.sort { lhs, rhs in
            (lhs.location?.line ?? 0, lhs.location?.column ?? 0) < (rhs.location?.line ?? 0, rhs.location?.column ?? 0)
        }
        return result
    }

    /// Profile names used by tunnel/session commands that the model lacks.
    static func missingProfiles(in command: ParsedCommand, model: ConfigModel) -> [ConfigError] {
        let checks: [(ParameterName, ProfileKind)]
        switch command.path {
        case .tunnelCreate:
            checks = [
                (.profileName, .tunnel), (.peerProfileName, .peer), (.sessionProfileName, .session),
                (.pppProfileName, .ppp),
            ]
        case .tunnelModify:
            checks = [(.peerProfileName, .peer), (.sessionProfileName, .session), (.pppProfileName, .ppp)]
        case .sessionCreate: checks = [(.profileName, .session), (.pppProfileName, .ppp)]
        default: checks = []
        }
        return checks.compactMap { parameter, kind in
            guard let name = command.string(parameter), !model.profiles.contains(kind, name) else { return nil }
            return ConfigError.profileNotFound(kind, name, referencedBy: "\(parameter.rawValue) of '\(command.path)'")
                .located(at: command.location(of: parameter))
        }
    }

    /// Within one file a tunnel name can be created once; sessions naming a
    /// tunnel the file did not create earlier get a warning (on reload the
    /// daemon may still have it; at startup it will not).
    static func checkTunnelNames(_ result: inout ConfigLoadResult) {
        var created: [String: SourceLocation] = [:]
        for action in result.actions {
            switch action.path {
            case .tunnelCreate:
                guard let name = action.string(.tunnelName) else { continue }
                if let first = created[name] {
                    result.errors.append(
                        .conflicting(
                            "tunnel_name: tunnel '\(name)' is already created at line \(first.line)",
                            at: action.location(of: .tunnelName)))
                } else {
                    created[name] = action.location
                }
            case .sessionCreate, .sessionModify, .tunnelModify, .debugModify:
                guard let name = action.string(.tunnelName), created[name] == nil else { continue }
                result.warnings.append(
                    ConfigWarning(
                        "tunnel_name: no tunnel '\(name)' is created earlier in this file",
                        at: action.location(of: .tunnelName)))
            default:
                continue
            }
        }
    }

    /// Tunnel profiles that need a secret they do not have: usable only by
    /// `tunnel create` commands that give `secret=`, never by peers.
    static func secretWarnings(_ model: ConfigModel, locations: [String: SourceLocation]) -> [ConfigWarning] {
        model.profiles.names(.tunnel).compactMap { name in
            guard let profile = model.profiles.tunnelProfile(name), profile.secret == nil else { return nil }
            let needs =
                profile.hideAVPs ? "hide_avps=yes" : profile.authMode == .challenge ? "auth_mode=challenge" : nil
            guard let needs else { return nil }
            return ConfigWarning(
                "tunnel profile '\(name)' has \(needs) but no secret; tunnels from peers using it will be refused",
                at: locations[referenceKey(.tunnel, name, .profileName)])
        }
    }

    private static func referenceKey(_ kind: ProfileKind, _ name: String, _ parameter: ParameterName) -> String {
        "\(kind.rawValue)\u{0}\(name)\u{0}\(parameter.rawValue)"
    }
}

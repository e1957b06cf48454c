/// What `ConfigLoader.load` produced: the new model, the daemon's actions,
/// and every error and warning of the file.
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

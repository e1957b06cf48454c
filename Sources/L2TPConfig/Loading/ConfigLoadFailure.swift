/// All errors of a configuration file, one `FILE:LINE:COLUMN: message` per line.
public struct ConfigLoadFailure: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

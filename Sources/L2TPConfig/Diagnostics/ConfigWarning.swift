/// A problem worth telling the operator about that does not stop the
/// configuration from being used (e.g. a guessed statement boundary).
public struct ConfigWarning: Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public let location: SourceLocation?

    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): warning: \(message)" }
        return "warning: \(message)"
    }
}

import L2TPConfig

/// One parsed and validated command: its path, its arguments with full
/// parameter names and normalised values, and where it was written.
public struct PoolCommand: Sendable {
    public let path: PoolCommandPath
    public let arguments: [(name: String, value: String)]
    public let location: SourceLocation

    public init(path: PoolCommandPath, arguments: [(name: String, value: String)], location: SourceLocation) {
        self.path = path
        self.arguments = arguments
        self.location = location
    }

    public subscript(name: String) -> String? {
        arguments.last { $0.name == name }?.value
    }
}

/// A parse error with where it happened: `FILE:LINE: message`.
public struct LocatedPoolError: Error, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let error: IPPoolError

    public init(location: SourceLocation, error: IPPoolError) {
        self.location = location
        self.error = error
    }

    public var description: String { "\(location.file):\(location.line): \(error.message)" }
}

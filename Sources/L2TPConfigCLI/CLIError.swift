import L2TPConfig
import L2TPManagement

/// Why one l2tpconfig command failed. A public struct over a private code;
/// `description` is the text printed to stderr and `exitStatus` what a
/// one-shot or script run exits with.
public struct CLIError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case usage
        case invalidCommand
        case refused
        case unreachable
        case file
    }

    private let code: Code
    /// The message without any `FILE:LINE:` prefix.
    public let message: String
    /// The daemon's status for refused commands.
    public let status: ManagementStatus?
    /// Where the failing command came from, in script mode and `config restore`.
    public var location: SourceLocation?

    private init(_ code: Code, _ message: String, status: ManagementStatus? = nil, location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.location = location
    }

    public var description: String {
        guard let location else { return message }
        return "\(location.file):\(location.line): \(message)"
    }

    public var exitStatus: ExitStatus {
        switch code {
        case .usage: .usage
        case .invalidCommand, .refused, .file: .commandFailed
        case .unreachable: .daemonUnreachable
        }
    }

    /// Whether the daemon could not be talked to at all (stop a script).
    public var isUnreachable: Bool { code == .unreachable }

    /// The same error attributed to a line of a script or restored file.
    public func located(at location: SourceLocation) -> CLIError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }

    // MARK: - Factories

    public static func usage(_ message: String) -> CLIError {
        CLIError(.usage, message)
    }

    /// A grammar error from L2TPConfig; its message names the keyword or
    /// parameter and lists the valid choices.
    public static func invalidCommand(_ error: ConfigError) -> CLIError {
        CLIError(.invalidCommand, error.message, location: error.location.flatMap(Self.scriptLocation))
    }

    public static func invalidCommand(_ message: String) -> CLIError {
        CLIError(.invalidCommand, message)
    }

    /// The daemon answered with a failure status.
    public static func refused(_ reply: ManagementReply, command: String) -> CLIError {
        let text = reply.message.isEmpty ? reply.status.description : reply.message
        return CLIError(.refused, "\(command): \(text)", status: reply.status)
    }

    public static func unreachable(_ error: RPCClientError) -> CLIError {
        CLIError(.unreachable, error.description)
    }

    public static func file(_ path: String, _ reason: String) -> CLIError {
        CLIError(.file, "\(path): \(reason)")
    }

    /// Grammar errors from one-shot or interactive lines carry the parser's
    /// placeholder file names; only real files keep a location.
    private static func scriptLocation(_ location: SourceLocation) -> SourceLocation? {
        location.file.hasPrefix("<command") || location.file == "<line>" ? nil : location
    }
}

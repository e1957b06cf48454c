/// Errors the daemon reports to the operator: each message says what is wrong
/// and, where it helps, what to do about it.
///
/// A public struct around a private code so kinds can be added later.
public struct DaemonError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for callers that answer with a status (the management
    /// handler maps each kind to an l2tp_rpc.x status) instead of matching text.
    public enum Kind: Hashable, Sendable {
        case usage
        case portInUse
        case socket
        case pidFile
        case configuration
        /// A `max_*` limit (system, tunnel or peer) refused a create.
        case limitReached
        /// `deny_*_tunnel_creates` or a plugin refused a create.
        case creationDenied
        case tunnelNotFound
        case sessionNotFound
        case profileNotFound
        /// Something else named in the command does not exist.
        case notFound
        case tunnelExists
        case sessionExists
        case profileExists
        /// A built-in `default` profile cannot be deleted.
        case notDeletable
        /// A required parameter (or one of a choice: `tunnel_id` or `tunnel_name`) is absent.
        case missingParameter
        /// The command is malformed or asks for something impossible.
        case invalidCommand
    }

    /// The kind; a `Kind` rather than a private code so the management handler
    /// can map it to a status exhaustively (new kinds then fail to compile there).
    public let kind: Kind
    /// The operator-facing message.
    public let message: String

    fileprivate init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// A bad command-line option.
    public static func usage(_ message: String) -> Self { Self(.usage, message) }

    /// Another process (usually another openl2tpd) holds the UDP port.
    public static func portInUse(_ port: UInt16) -> Self {
        Self(.portInUse, "UDP port \(port) is already in use by another process (is openl2tpd already running?)")
    }

    /// A socket call failed; names the call and the errno text.
    public static func socket(_ call: String, errno: Int32, detail: String = "") -> Self {
        Self(.socket, "\(call)\(detail.isEmpty ? "" : " (\(detail))") failed: \(errnoText(errno))")
    }

    /// A descriptor or socket for a tunnel could not be had (EMFILE, a busy port).
    public static func resource(_ message: String) -> Self { Self(.socket, message) }

    public static func pidFile(_ path: String, _ why: String) -> Self { Self(.pidFile, "pid file \(path): \(why)") }

    /// The configuration file (or a command) is wrong; `message` already holds FILE:LINE.
    public static func configuration(_ message: String) -> Self { Self(.configuration, message) }

    /// A configured `max_*` limit refused a request; the message names the limit.
    public static func limit(_ message: String) -> Self { Self(.limitReached, message) }

    /// A `deny_*` setting or a plugin refused a request; the message says which.
    public static func denied(_ message: String) -> Self { Self(.creationDenied, message) }

    /// `what` ("tunnel_id 4242", "session_name 'x' in tunnel 3") not found.
    public static func tunnelNotFound(_ what: String) -> Self { Self(.tunnelNotFound, "\(what) not found") }
    public static func sessionNotFound(_ what: String) -> Self { Self(.sessionNotFound, "\(what) not found") }
    public static func profileNotFound(_ what: String) -> Self { Self(.profileNotFound, "\(what) not found") }
    public static func notFound(_ what: String) -> Self { Self(.notFound, "\(what) not found") }

    public static func tunnelExists(_ message: String) -> Self { Self(.tunnelExists, message) }
    public static func sessionExists(_ message: String) -> Self { Self(.sessionExists, message) }
    public static func profileExists(_ message: String) -> Self { Self(.profileExists, message) }
    public static func notDeletable(_ message: String) -> Self { Self(.notDeletable, message) }

    /// `message` names the parameter(s) to give.
    public static func missingParameter(_ message: String) -> Self { Self(.missingParameter, message) }

    public static func invalidCommand(_ message: String) -> Self { Self(.invalidCommand, message) }

    /// Whether this is the "port in use" error (tests and exit codes switch on it).
    public var isPortInUse: Bool { kind == .portInUse }
    /// A `max_*` limit or a `deny_*`/plugin refusal.
    public var isLimit: Bool { kind == .limitReached || kind == .creationDenied }
    public var isConfiguration: Bool { kind == .configuration }
    public var isUsage: Bool { kind == .usage }
}

import L2TPConfig

extension DaemonError {
    /// A system or profile change the config model refused, keeping its kind
    /// (profile not found, exists, default not deletable) for the status.
    init(modelError error: ConfigError) {
        switch error.kind {
        case .profileNotFound: self.init(.profileNotFound, error.message)
        case .profileExists: self.init(.profileExists, error.message)
        case .profileNotDeletable: self.init(.notDeletable, error.message)
        case .missingParameter: self.init(.missingParameter, error.message)
        default: self.init(.invalidCommand, error.message)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

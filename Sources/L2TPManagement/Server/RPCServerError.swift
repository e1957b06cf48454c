/// Why a management server could not start. Messages name the path or address
/// and say what to do, since the daemon prints them as its last words.
public struct RPCServerError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case alreadyRunning
        case pathNotASocket
        case cannotPrepareDirectory
        case cannotLock
        case pathTooLong
        case bindFailed
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: RPCServerError, rhs: RPCServerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A live server owns the socket; we never steal it.
    public static func alreadyRunning(serviceName: String, path: String) -> RPCServerError {
        .init(
            .alreadyRunning,
            "\(serviceName) is already running: a live server is listening on \(path); stop it first")
    }

    public static func pathNotASocket(_ path: String) -> RPCServerError {
        .init(.pathNotASocket, "\(path) exists and is not a socket; refusing to replace it")
    }

    public static func cannotPrepareDirectory(_ path: String, errno: Int32) -> RPCServerError {
        .init(.cannotPrepareDirectory, "cannot create directory \(path): \(errnoText(errno))")
    }

    public static func cannotLock(_ path: String, errno: Int32) -> RPCServerError {
        .init(.cannotLock, "cannot open lock file \(path): \(errnoText(errno))")
    }

    /// The lock file could not be had safely (a planted symlink, someone
    /// else's file); `reason` says which.
    public static func cannotLock(_ path: String, reason: String) -> RPCServerError {
        .init(.cannotLock, "cannot open lock file \(path): \(reason)")
    }

    public static func pathTooLong(_ path: String) -> RPCServerError {
        .init(.pathTooLong, "socket path \(path) is longer than the 107 bytes a Unix socket address holds")
    }

    public static func bindFailed(_ address: String, underlying: any Error) -> RPCServerError {
        .init(.bindFailed, "cannot listen on \(address): \(underlying)")
    }
}

#if canImport(Glibc)
    import Glibc
#endif

func errnoText(_ value: Int32) -> String {
    guard let text = strerror(value) else { return "errno \(value)" }
    return String(cString: text)
}

/// Errors the daemon reports to the operator: each message says what is wrong
/// and, where it helps, what to do about it.
///
/// A public struct around a private code so kinds can be added later.
public struct DaemonError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case usage
        case portInUse
        case socket
        case pidFile
        case configuration
        case limit
        case notFound
        case invalidCommand
    }

    private let code: Code
    /// The operator-facing message.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
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

    public static func pidFile(_ path: String, _ why: String) -> Self { Self(.pidFile, "pid file \(path): \(why)") }

    /// The configuration file (or a command) is wrong; `message` already holds FILE:LINE.
    public static func configuration(_ message: String) -> Self { Self(.configuration, message) }

    /// A configured limit refused a request; the message names the limit.
    public static func limit(_ message: String) -> Self { Self(.limit, message) }

    public static func notFound(_ what: String) -> Self { Self(.notFound, "\(what) not found") }

    public static func invalidCommand(_ message: String) -> Self { Self(.invalidCommand, message) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }
    public func hash(into hasher: inout Hasher) { hasher.combine(code); hasher.combine(message) }

    /// Whether this is the "port in use" error (tests and exit codes switch on it).
    public var isPortInUse: Bool { code == .portInUse }
    public var isLimit: Bool { code == .limit }
    public var isConfiguration: Bool { code == .configuration }
    public var isUsage: Bool { code == .usage }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

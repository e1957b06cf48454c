#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A syslog facility as named on the command line (`-L local3`).
public struct SyslogFacility: Hashable, Sendable, CustomStringConvertible {
    /// The `LOG_*` facility value for openlog(3).
    public let value: Int32
    public let name: String

    private init(_ name: String, _ value: Int32) {
        self.name = name
        self.value = value
    }

    public static let daemon = SyslogFacility("daemon", LOG_DAEMON)
    public static let user = SyslogFacility("user", LOG_USER)

    private static let all: [SyslogFacility] = [
        .daemon, .user,
        SyslogFacility("auth", LOG_AUTH), SyslogFacility("authpriv", LOG_AUTHPRIV),
        SyslogFacility("local0", LOG_LOCAL0), SyslogFacility("local1", LOG_LOCAL1),
        SyslogFacility("local2", LOG_LOCAL2), SyslogFacility("local3", LOG_LOCAL3),
        SyslogFacility("local4", LOG_LOCAL4), SyslogFacility("local5", LOG_LOCAL5),
        SyslogFacility("local6", LOG_LOCAL6), SyslogFacility("local7", LOG_LOCAL7),
    ]

    public static var allNames: [String] { all.map(\.name) }

    /// Accepts `local3`, `LOCAL3` and `LOG_LOCAL3`.
    public init?(name: String) {
        var lowered = name.lowercased()
        if lowered.hasPrefix("log_") { lowered.removeFirst(4) }
        guard let found = Self.all.first(where: { $0.name == lowered }) else { return nil }
        self = found
    }

    public var description: String { name }
}

import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A swift-log handler that writes through syslog(3).
///
/// openlog(3) is process-wide, so `SyslogLogHandler.open` is called once at
/// start with the facility from `-L`; every handler then only calls syslog.
public struct SyslogLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    /// Opens the process's syslog connection (LOG_PID, LOG_NDELAY so the
    /// socket exists before any fork and is opened close-on-exec by glibc).
    public static func open(identifier: String, facility: SyslogFacility) {
        // openlog keeps the pointer: give it a string that lives forever.
        let ident = strdup(identifier)
        openlog(ident, LOG_PID | LOG_NDELAY, facility.value)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var text = event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        let priority = Self.priority(event.level)
        // Never pass the message as the format string: it may contain '%'.
        text.withCString { message in
            withVaList([message]) { vsyslog(priority, "%s", $0) }
        }
    }

    static func priority(_ level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: return LOG_DEBUG
        case .info: return LOG_INFO
        case .notice: return LOG_NOTICE
        case .warning: return LOG_WARNING
        case .error: return LOG_ERR
        case .critical: return LOG_CRIT
        }
    }
}

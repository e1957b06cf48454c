#if canImport(Glibc)
    import Glibc
#endif
import Logging

/// swift-log to syslog (with `-L facility`) or, in the foreground, to stderr.
struct DaemonLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let toStderr: Bool

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func openSyslog(facility: String) {
        let codes: [String: Int32] = [
            "daemon": LOG_DAEMON, "user": LOG_USER, "local0": LOG_LOCAL0, "local1": LOG_LOCAL1,
            "local2": LOG_LOCAL2, "local3": LOG_LOCAL3, "local4": LOG_LOCAL4, "local5": LOG_LOCAL5,
            "local6": LOG_LOCAL6, "local7": LOG_LOCAL7,
        ]
        openlog("ippoold", LOG_PID, codes[facility] ?? LOG_DAEMON)
    }

    func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        if toStderr {
            writeStderr("ippoold: \(level): \(message)\n")
            return
        }
        let priority: Int32
        switch level {
        case .trace, .debug: priority = LOG_DEBUG
        case .info: priority = LOG_INFO
        case .notice: priority = LOG_NOTICE
        case .warning: priority = LOG_WARNING
        case .error: priority = LOG_ERR
        case .critical: priority = LOG_CRIT
        }
        "\(message)".withCString { text in
            withVaList([text]) { vsyslog(priority, "%s", $0) }
        }
    }
}

/// Unbuffered, so a message is out before a following `exit`.
func writeStderr(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

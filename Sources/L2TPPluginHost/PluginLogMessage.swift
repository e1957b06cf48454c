/// Severity of a log line (syslog numbering, as the C ABI's OL2TP_LOG_*).
public enum PluginLogLevel: Int32, Hashable, Sendable, Comparable {
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6
    case debug = 7

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue > rhs.rawValue }

    /// Levels outside the ABI's range are clamped rather than dropped.
    init(abiLevel: Int32) {
        self = PluginLogLevel(rawValue: min(max(abiLevel, 3), 7)) ?? .error
    }
}

/// A line logged by a plugin (`plugin` is its name) or by the host itself
/// about plugins (`plugin` is nil), for the daemon to send to syslog.
public struct PluginLogMessage: Hashable, Sendable, CustomStringConvertible {
    public var plugin: String?
    public var level: PluginLogLevel
    public var message: String

    public init(plugin: String?, level: PluginLogLevel, message: String) {
        self.plugin = plugin
        self.level = level
        self.message = message
    }

    public var description: String { "\(plugin.map { "plugin \($0)" } ?? "plugin host"): \(message)" }
}

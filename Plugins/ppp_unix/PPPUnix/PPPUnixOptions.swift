/// The plugin's argument string (`openl2tpd -p ppp_unix:ARGS`), comma
/// separated `key=value`:
/// - `pppd=PATH` the pppd binary (default /usr/sbin/pppd; tests use a script)
/// - `max_starting=N` (alias `y=N`) at most N pppd starting at once, the
///   daemon's `-y N` (default 0: no limit)
/// - `kill_grace=SECONDS` SIGTERM to SIGKILL delay (default 5, fractions ok)
/// - `shutdown_grace=SECONDS` the same when openl2tpd exits (default 1; at
///   most `kill_grace`): all pppd are stopped together within it
/// - `establish_timeout=SECONDS` overrides `session_establish_timeout`
/// - `stop_nice=N` nice value (0-19) a pppd gets with its SIGTERM, so its
///   exit and ip-down scripts yield to the daemon (default 19; 0: unchanged)
public struct PPPUnixOptions: Hashable, Sendable {
    public var pppdPath = "/usr/sbin/pppd"
    public var maxStarting = 0
    public var killGrace: Duration = .seconds(5)
    public var shutdownGrace: Duration = .seconds(1)
    public var stopNice: Int32 = 19
    public var establishTimeout: Duration?

    public init() {}

    /// Throws a message naming the bad option.
    public init(parsing text: String) throws(PPPUnixOptionError) {
        for item in text.split(separator: ",") {
            let option = item.trimmingSpaces
            guard !option.isEmpty else { continue }
            guard let equals = option.firstIndex(of: "=") else {
                throw PPPUnixOptionError("'\(option)': expected key=value")
            }
            let key = String(option[..<equals])
            let value = String(option[option.index(after: equals)...])
            switch key {
            case "pppd":
                guard value.hasPrefix("/") else { throw PPPUnixOptionError("pppd=\(value): need an absolute path") }
                pppdPath = value
            case "max_starting", "y":
                guard let number = Int(value), number >= 0 else {
                    throw PPPUnixOptionError("\(key)=\(value): need a number >= 0")
                }
                maxStarting = number
            case "stop_nice":
                guard let number = Int32(value), (0...19).contains(number) else {
                    throw PPPUnixOptionError("\(key)=\(value): need a nice value 0 to 19")
                }
                stopNice = number
            case "kill_grace", "shutdown_grace", "establish_timeout":
                guard let seconds = Double(value), seconds >= 0, seconds < 86400 else {
                    throw PPPUnixOptionError("\(key)=\(value): need seconds (0 to 86400)")
                }
                let duration = Duration.milliseconds(Int64(seconds * 1000))
                switch key {
                case "kill_grace": killGrace = duration
                case "shutdown_grace": shutdownGrace = duration
                default: establishTimeout = duration
                }
            default:
                throw PPPUnixOptionError(
                    "unknown option '\(key)' (known: pppd, max_starting, y, kill_grace, shutdown_grace, establish_timeout, stop_nice)"
                )
            }
        }
    }
}

public struct PPPUnixOptionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}

import L2TPConfig
import Logging

/// The daemon's last defence for its log: wraps the syslog and stderr
/// handlers so that one message is always one line. Control and format
/// characters in the message and in metadata values are written as escapes
/// (`VisibleText`), so a peer string that a call site forgot to escape
/// cannot start a forged line or drive a terminal.
///
/// Backslashes are left as they are: call sites escape peer strings
/// themselves (`\(escaped: ...)`, which doubles backslashes), and escaping
/// their lines again would show every escape twice.
public struct OneLineLogHandler: LogHandler {
    private var wrapped: any LogHandler

    public init(_ wrapped: any LogHandler) {
        self.wrapped = wrapped
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var safe = event
        safe.message = Logger.Message(stringLiteral: Self.oneLine(event.message.description))
        safe.metadata = event.metadata.map(Self.oneLine)
        wrapped.log(event: safe)
    }

    static func oneLine(_ text: String) -> String { VisibleText.escaped(text, doublingBackslashes: false) }

    static func oneLine(_ metadata: Logger.Metadata) -> Logger.Metadata { metadata.mapValues(oneLine) }

    static func oneLine(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): return .string(oneLine(text))
        case .stringConvertible(let convertible): return .string(oneLine(convertible.description))
        case .array(let values): return .array(values.map(oneLine))
        case .dictionary(let values): return .dictionary(oneLine(values))
        }
    }
}

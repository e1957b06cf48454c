import Logging
import Testing
@testable import L2TPDaemon

@Suite struct OneLineLogHandlerTests {
    /// Keeps each event's message and metadata as the wrapped handler got them.
    final class Recorder: @unchecked Sendable {
        var events: [(message: String, metadata: Logger.Metadata?)] = []
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { recorder.events.append(("\(event.message)", event.metadata)) }
    }

    @Test func aMessageThatForgotToEscapeStaysOneLine() {
        let recorder = Recorder()
        let logger = Logger(label: "test") { _ in OneLineLogHandler(RecordingHandler(recorder: recorder)) }
        logger.warning("refused host 'lac\n2026-12-04T00:00:00 critical openl2tpd: forged\u{1B}[2J\r\u{2028}'")
        #expect(
            recorder.events.first?.message
                == #"refused host 'lac\n2026-12-04T00:00:00 critical openl2tpd: forged\u{1B}[2J\r\u{2028}'"#)
    }

    @Test func escapesMadeByTheCallSiteAreNotDoubled() {
        let recorder = Recorder()
        let logger = Logger(label: "test") { _ in OneLineLogHandler(RecordingHandler(recorder: recorder)) }
        logger.notice("tunnel 1 up: host '\(escaped: "a\nb\\c")'")
        #expect(recorder.events.first?.message == #"tunnel 1 up: host 'a\nb\\c'"#)
    }

    @Test func metadataValuesAreOneLineToo() {
        let recorder = Recorder()
        var logger = Logger(label: "test") { _ in OneLineLogHandler(RecordingHandler(recorder: recorder)) }
        logger.logLevel = .debug
        logger.info("x", metadata: ["peer": "a\nb", "list": ["c\rd"], "nested": ["k": "e\u{1B}"]])
        let metadata = recorder.events.first?.metadata
        #expect(metadata?["peer"] == .string(#"a\nb"#))
        #expect(metadata?["list"] == .array([.string(#"c\rd"#)]))
        #expect(metadata?["nested"] == .dictionary(["k": .string(#"e\u{1B}"#)]))
        // The level is the wrapped handler's.
        #expect(logger.handler.logLevel == .debug)
    }
}

import Logging
import Testing
@testable import L2TPDaemon

@Suite struct SyslogLogHandlerTests {
    @Test func messagesAreNeverFormatStrings() {
        // A '%n' used as a format would write through a garbage pointer; a
        // peer's host name can contain anything.
        SyslogLogHandler.open(identifier: "openl2tpd-test", facility: .user)
        var handler = SyslogLogHandler(label: "test")
        handler.logLevel = .debug
        handler[metadataKey: "peer"] = "%s%n"
        let logger = Logger(label: "test") { _ in handler }
        logger.info("host name '%n%n%s%s%x'")
        #expect(handler.metadata["peer"] == "%s%n")
    }

    @Test func levelsMapToSyslogPriorities() {
        #expect(SyslogLogHandler.priority(.critical) == 2)
        #expect(SyslogLogHandler.priority(.error) == 3)
        #expect(SyslogLogHandler.priority(.warning) == 4)
        #expect(SyslogLogHandler.priority(.notice) == 5)
        #expect(SyslogLogHandler.priority(.info) == 6)
        #expect(SyslogLogHandler.priority(.debug) == 7)
    }
}

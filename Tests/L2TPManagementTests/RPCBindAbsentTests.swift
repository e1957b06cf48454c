import Logging
import NIOConcurrencyHelpers
import Testing

@testable import L2TPManagement

/// Collects log lines so a test can read what the daemon would print.
struct CapturingLogHandler: LogHandler {
    let lines: NIOLockedValueBox<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append("\(event.level) \(event.message)") }
    }
}

@Suite struct RPCBindAbsentTests {
    @Test func missingRPCBindIsOneInfoLineNotAnError() async {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }
        let started = ContinuousClock.now
        let registration = await RPCBindRegistration.register(
            program: 300773, version: 1, host: "127.0.0.1", port: 4321, logger: logger,
            isRunning: {
                RPCBindRegistration.isRPCBindRunning(socketPath: "/nonexistent/rpcbind.sock", tcpPort: 1)
            })
        #expect(registration == nil)
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(
            lines.withLockedValue { $0 }
                == ["info rpcbind is not running: program 300773 TCP port 4321 not registered"])
    }
}

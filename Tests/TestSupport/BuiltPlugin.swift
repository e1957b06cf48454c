public import Foundation
public import L2TPPluginHost

/// Finds the plugin shared objects SwiftPM built and records what the host
/// reports to the daemon.
public enum BuiltPlugin {
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// `lib<product>.so` next to the test bundle, else the newest under .build.
    public static func path(_ product: String) throws -> String {
        let fileName = "lib\(product).so"
        var candidates: [URL] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent(fileName))
                directory.deleteLastPathComponent()
            }
        }
        if let walker = FileManager.default.enumerator(
            at: repositoryRoot.appendingPathComponent(".build"), includingPropertiesForKeys: nil)
        {
            for case let url as URL in walker where url.lastPathComponent == fileName { candidates.append(url) }
        }
        func modified(_ url: URL) -> Date {
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
        }
        guard
            let newest = candidates.filter({ FileManager.default.fileExists(atPath: $0.path) })
                .max(by: { modified($0) < modified($1) })
        else {
            throw NotFound(description: "\(fileName) not found next to the tests or under .build: run `swift build`")
        }
        return newest.path
    }
}

/// Collects the host's log lines and plugin actions, from any thread.
public final class DaemonRecorder: @unchecked Sendable {
    public init() {}
    private let lock = NSLock()
    private var logs: [PluginLogMessage] = []
    private var actions: [PluginAction] = []

    public var logMessages: [PluginLogMessage] { lock.withLock { logs } }
    public var receivedActions: [PluginAction] { lock.withLock { actions } }
    public func logged(_ fragment: String) -> Bool { logMessages.contains { $0.message.contains(fragment) } }

    public func makeHost() -> PluginHost {
        PluginHost(
            daemonVersion: "0.1-test",
            log: { [self] message in lock.withLock { logs.append(message) } },
            actions: { [self] action in lock.withLock { actions.append(action) } })
    }
}

import Foundation
import TestSupport
import L2TPPluginHost
import Testing

/// Builds plugins from C with the system compiler, finds the SwiftPM-built
/// ones, and records what the host tells the daemon.
enum PluginTestSupport {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sdkInclude = repositoryRoot.appendingPathComponent("plugin-sdk/include").path
    static let hookLoggerSource = repositoryRoot.appendingPathComponent("plugin-sdk/examples/hook_logger.c").path
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/L2TPPluginHostTests/Fixtures/\(name)").path
    }

    struct CompileError: Error, CustomStringConvertible {
        var description: String
    }

    /// A fresh directory for one test's plugins and logs.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("l2tp-plugin-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `$CC`, else the first of cc, clang (shipped with the Swift toolchain), gcc on PATH.
    static let cCompiler: String = {
        let environment = ProcessInfo.processInfo.environment
        if let compiler = environment["CC"], !compiler.isEmpty { return compiler }
        let path = (environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["cc", "clang", "gcc"] {
            for directory in path where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return "cc"
    }()

    /// `cc -shared -fPIC` exactly as the SDK README tells plugin authors.
    static func compile(_ source: String, to output: URL, extraFlags: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [cCompiler, "-shared", "-fPIC", "-Wall", "-Werror", "-I", sdkInclude]
            + extraFlags + [source, "-o", output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CompileError(description: "cc failed for \(source): \(text)")
        }
    }

    /// Where SwiftPM put `lib<product>.so` (shared with the plugins' own tests).
    static func builtLibrary(_ product: String) throws -> String {
        try BuiltPlugin.path(product)
    }

    static func lines(_ file: URL) -> [String] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    static func tunnel(_ id: UInt16, hostName: String = "lac1") -> TunnelInfo {
        TunnelInfo(
            tunnelID: id, peerTunnelID: id + 100, localAddress: "127.0.0.1", localPort: 1701,
            peerAddress: "127.0.0.2", peerPort: 1701, peerHostName: hostName, tunnelName: "t\(id)",
            createdByPeer: true)
    }

    static func session(_ tunnelID: UInt16, _ sessionID: UInt16, calling: String = "5551234") -> SessionInfo {
        SessionInfo(
            tunnelID: tunnelID, sessionID: sessionID, peerSessionID: sessionID + 1000, callType: .lnsIncoming,
            callSerialNumber: 7, callingNumber: calling, calledNumber: "100",
            proxyAuthentication: .init(type: 2, name: "alice", challenge: [1, 0, 2], response: [9, 9], id: 3))
    }
}

/// Collects what the host reports to the daemon, from any thread.
final class DaemonRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var logs: [PluginLogMessage] = []
    private var actions: [PluginAction] = []
    private let onAction: @Sendable (PluginAction) -> Void

    init(onAction: @escaping @Sendable (PluginAction) -> Void = { _ in }) { self.onAction = onAction }

    var logMessages: [PluginLogMessage] { lock.withLock { logs } }
    var receivedActions: [PluginAction] { lock.withLock { actions } }

    func makeHost(directory: String? = nil) -> PluginHost {
        PluginHost(
            daemonVersion: "0.1-test", pluginDirectory: directory,
            log: { [self] message in lock.withLock { logs.append(message) } },
            actions: { [self] action in
                lock.withLock { actions.append(action) }
                onAction(action)
            })
    }
}

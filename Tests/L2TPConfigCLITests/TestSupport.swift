import Foundation
import L2TPManagement
import NIOCore
import NIOPosix

@testable import L2TPConfigCLI

/// A fresh directory under /tmp for one test's socket and files.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/l2tpconfig-test-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

/// The fake daemon behind the real management RPC server on a temporary
/// Unix socket, as openl2tpd serves it.
struct TestDaemon {
    let daemon: FakeDaemon
    let directory: String
    let socketPath: String
    let server: RPCServer

    static func start(idleTimeout: TimeAmount = .seconds(60), tcp: Bool = false) async throws -> TestDaemon {
        let directory = makeTemporaryDirectory()
        let path = directory + "/l2tpd.sock"
        let daemon = FakeDaemon()
        let server = try await RPCServer.start(
            service: ManagementService(handler: daemon),
            endpoint: tcp ? .tcp(host: "127.0.0.1", port: 0) : .unixSocket(path: path),
            group: MultiThreadedEventLoopGroup.singleton,
            configuration: RPCServerConfiguration(idleTimeout: idleTimeout),
            authorize: ManagementAuthorization.localAdministrator(allowRemote: false))
        return TestDaemon(daemon: daemon, directory: directory, socketPath: path, server: server)
    }

    private init(daemon: FakeDaemon, directory: String, socketPath: String, server: RPCServer) {
        self.daemon = daemon
        self.directory = directory
        self.socketPath = socketPath
        self.server = server
    }

    func stop() async {
        await server.close()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `l2tpconfig -S socket ARGS` in-process; see `runL2TPConfig`.
    func run(_ arguments: [String], stdin: String? = nil) async -> CLIRun {
        await runL2TPConfig(["-S", socketPath] + arguments, stdin: stdin)
    }
}

/// What one l2tpconfig run printed and exited with.
struct CLIRun: Sendable {
    var status: ExitStatus
    var out: String
    var error: String
}

/// Runs l2tpconfig's program logic on a thread of its own: the RPC client
/// blocks, and must not hold a thread of Swift's cooperative pool that the
/// server's handler may need. `stdin` text becomes a script read from a file.
func runL2TPConfig(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async -> CLIRun {
    var arguments = arguments
    var scriptFile: String?
    if let stdin {
        let file = makeTemporaryDirectory() + "/script"
        FileManager.default.createFile(atPath: file, contents: Data(stdin.utf8))
        arguments.insert(contentsOf: ["-f", file], at: 0)
        scriptFile = file
    }
    let environment = environment
    let finalArguments = arguments
    let result: CLIRun = await withCheckedContinuation { continuation in
        let thread = Thread {
            let captured = CapturedOutput()
            let status = L2TPConfigProgram.run(
                arguments: finalArguments, environment: environment, output: captured.output, stdinIsTerminal: false,
                fields: FieldText(useUTC: true))
            continuation.resume(returning: CLIRun(status: status, out: captured.out, error: captured.error))
        }
        thread.start()
    }
    if let scriptFile {
        try? FileManager.default.removeItem(atPath: (scriptFile as NSString).deletingLastPathComponent)
    }
    return result
}

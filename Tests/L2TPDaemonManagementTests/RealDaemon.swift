import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `openl2tpd` and `l2tpconfig` products, found next to the test
/// bundle (or in `.build/debug`). The end-to-end tests drive the real
/// programs, so what an operator types is what is tested.
enum Products {
    static func path(_ name: String) -> String? {
        var candidates: [String] = []
        if let runner = ProcessInfo.processInfo.arguments.first {
            var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
            if directory.lastPathComponent.hasSuffix(".xctest") { directory.deleteLastPathComponent() }
            candidates.append(directory.appendingPathComponent(name).path)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/\(name)").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// What one `l2tpconfig` run printed and how it exited.
struct CLIResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

    /// The single JSON document of a `-j` run.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(stdout)")
    }

    func records() throws -> [[String: Any]] {
        try #require(try json()["records"] as? [[String: Any]], "no records: \(stdout)")
    }
}

/// A real `openl2tpd -f` on a loopback UDP port with its own management
/// socket, config file and log in a temporary directory.
final class RealDaemon: @unchecked Sendable {
    let name: String
    let directory: String
    let port: UInt16
    let socketPath: String
    let logPath: String
    private(set) var pid: pid_t = 0

    init(name: String, directory: String, port: UInt16? = nil) {
        self.name = name
        self.directory = directory
        self.port = port ?? Self.freeUDPPort()
        socketPath = "\(directory)/\(name).sock"
        logPath = "\(directory)/\(name).log"
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Starts the daemon with `config` as its `-c` file (or `configFile`) and
    /// waits until its management socket answers.
    ///
    /// Only with `tcp` does the daemon listen on TCP and register with
    /// rpcbind: the mapping for program 300773 is one per host, and other
    /// tests running beside this suite rely on theirs.
    func start(config: String = "", configFile: String? = nil, tcp: Bool = false, extra: [String] = []) throws {
        let file = configFile ?? "\(directory)/\(name).conf"
        if configFile == nil { try config.write(toFile: file, atomically: true, encoding: .utf8) }
        let binary = try #require(Products.path("openl2tpd"), "openl2tpd was not built next to the tests")
        let arguments =
            [
                "-f", "-u", String(port), "-l", "127.0.0.1", "-c", file, "-P", "\(directory)/\(name).pid",
                "--rpc-socket", socketPath,
                // Its own: with the kernel datapath ppp_unix is loaded, and a
                // daemon that cannot claim its event socket does not start.
                "--ppp-event-socket", "\(directory)/\(name).event",
            ] + (tcp ? [] : ["--no-rpc-tcp"]) + extra
        pid = try CleanSpawn.spawn(binary, arguments, output: logPath)
        // Up to 15 s: a debug build on a loaded CI machine starts slowly.
        for _ in 0..<600 {
            if FileManager.default.fileExists(atPath: socketPath),
                RealDaemon.cli(socketPath, ["system", "show", "version"]).status == 0
            {
                return
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                pid = 0
                throw DaemonFailure("\(name) exited during start-up:\n\(log)")
            }
            usleep(25_000)
        }
        throw DaemonFailure("\(name) did not answer on \(socketPath):\n\(log)")
    }

    /// SIGTERM, then the exit status (nil if it had to be killed).
    @discardableResult
    func stop() -> Int32? {
        guard pid > 0 else { return nil }
        kill(pid, SIGTERM)
        defer { pid = 0 }
        for _ in 0..<400 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil }
            usleep(25_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return nil
    }

    deinit { stop() }

    /// `l2tpconfig -S SOCKET words...`.
    @discardableResult
    func cli(_ words: String...) -> CLIResult { Self.cli(socketPath, words) }

    func cli(json words: String...) -> CLIResult { Self.cli(socketPath, ["-j"] + words) }

    static func cli(_ socketPath: String, _ words: [String]) -> CLIResult {
        guard let binary = Products.path("l2tpconfig") else {
            return CLIResult(status: -1, stdout: "", stderr: "l2tpconfig was not built next to the tests")
        }
        return run(binary, ["-S", socketPath] + words)
    }

    /// Polls `condition` (every 50 ms, up to `seconds`).
    func waitUntil(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    // MARK: - Processes

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return CLIResult(status: -1, stdout: "", stderr: "\(error)") }
        // Read both pipes concurrently so neither can fill and block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errorData = Box()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.data = err.fileHandleForReading.readDataToEndOfFile() }
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData.data, as: UTF8.self))
    }

    /// A UDP port on 127.0.0.1 that is free now (bound to 0, read, closed).
    static func freeUDPPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A fresh temporary directory for one test.
    static func temporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/l2tp-mgmt-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw DaemonFailure("mkdtemp failed") }
        return String(cString: made)
    }
}

struct DaemonFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

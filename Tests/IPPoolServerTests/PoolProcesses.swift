import Foundation
import L2TPManagement

/// Runs the built ippoold and ippoolconfig as processes, on a temporary
/// socket, the way an operator would.
enum PoolProcesses {
    struct NotBuilt: Error, CustomStringConvertible { var description: String }

    /// `.build/<config>/NAME`, found from the test bundle's location.
    static func executable(_ name: String) throws -> String {
        if let runner = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        throw NotBuilt(description: "\(name) not found next to the tests: run `swift build`")
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "ippool-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    struct Result {
        var status: Int32
        var out: String
        var err: String
    }

    /// Runs a program to completion with `stdin` text.
    static func run(
        _ executable: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]
    )
        -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        do { try process.run() } catch { return Result(status: -1, out: "", err: "\(error)") }
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
            err: String(decoding: errData, as: UTF8.self))
    }
}

/// One ippoold in the foreground on a temporary socket; stopped with SIGTERM.
final class RunningPoolDaemon {
    let directory: String
    let socketPath: String
    let process = Process()
    let log: String

    init(config: String? = nil, tcp: Bool = false) throws {
        directory = try PoolProcesses.temporaryDirectory()
        socketPath = directory + "/ippoold.sock"
        log = directory + "/ippoold.log"
        var arguments = ["-f", "-d", "-S", socketPath]
        if !tcp { arguments.append("-T") }
        if let config {
            try config.write(toFile: directory + "/ippoold.conf", atomically: true, encoding: .utf8)
            arguments += ["-c", directory + "/ippoold.conf"]
        }
        process.executableURL = URL(fileURLWithPath: try PoolProcesses.executable("ippoold"))
        process.arguments = arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if FileManager.default.fileExists(atPath: socketPath) { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw PoolProcesses.NotBuilt(description: "ippoold did not start: \(logText)")
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// ippoolconfig against this daemon.
    func config(_ arguments: [String], stdin: String = "") throws -> PoolProcesses.Result {
        PoolProcesses.run(try PoolProcesses.executable("ippoolconfig"), ["-S", socketPath] + arguments, stdin: stdin)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            for _ in 0..<100 where process.isRunning { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

// ippoolconfig: manage ippoold's address pools (docs/ippool.md).
#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import L2TPConfigCLI
import L2TPManagement

func runProgram() -> ExitStatus {
    StandardDescriptors.openMissing()
    let environment = ProcessInfo.processInfo.environment
    let output = CLIOutput.standard
    let options: PoolCLIOptions
    do {
        options = try PoolCLIOptions.parse(Array(CommandLine.arguments.dropFirst()), environment: environment)
    } catch {
        output.printError("ippoolconfig: \(error)")
        return error.exitStatus
    }
    if options.showHelp {
        output.print(PoolCLIOptions.helpText)
        return .success
    }
    let runner = PoolCommandRunner(
        connection: PoolConnection(options: options), output: output, json: options.json, quiet: options.quiet)
    if !options.commandWords.isEmpty {
        let line = options.commandWords.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
        if line == "help" || line.hasPrefix("help ") {
            output.print(PoolCLIOptions.helpText)
            return .success
        }
        return runner.run(line: line)?.exitStatus ?? .success
    }
    if options.scriptPath != nil || isatty(STDIN_FILENO) == 0 {
        let path = options.scriptPath ?? "-"
        let source: String
        if path == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                output.printError(
                    "ippoolconfig: \(path): cannot read: \(String(cString: strerror(errno == 0 ? ENOENT : errno)))")
                return .commandFailed
            }
            source = String(decoding: data, as: UTF8.self)
        }
        do {
            try runner.runScript(source, file: path == "-" ? "<stdin>" : path)
            return .success
        } catch {
            runner.report(error, command: "")
            return error.exitStatus
        }
    }
    return PoolShell(runner: runner, environment: environment).run()
}

exit(runProgram().rawValue)

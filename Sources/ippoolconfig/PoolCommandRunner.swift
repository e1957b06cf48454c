import IPPool
import L2TPConfig
import L2TPConfigCLI
import L2TPManagement

/// Parses a line with the pool grammar, calls ippoold, prints the reply as
/// text or JSON; errors are printed here and returned.
final class PoolCommandRunner {
    let connection: PoolConnection
    let output: CLIOutput
    let json: Bool
    let quiet: Bool

    init(connection: PoolConnection, output: CLIOutput, json: Bool, quiet: Bool) {
        self.connection = connection
        self.output = output
        self.json = json
        self.quiet = quiet
    }

    @discardableResult
    func run(line: String) -> CLIError? {
        let command: PoolCommand
        do {
            command = try PoolCommandParser.parseLine(line)
        } catch {
            let failure = CLIError.invalidCommand(error.error.message)
            report(failure, command: line)
            return failure
        }
        do {
            try execute(command)
            return nil
        } catch {
            report(error, command: command.path.rawValue)
            return error
        }
    }

    func execute(_ command: PoolCommand) throws(CLIError) {
        let request = ManagementRequest(
            parameters: command.arguments.map { ManagementParameter(name: $0.name, value: $0.value) })
        let reply = try connection.call(command.path.procedure, request)
        guard reply.status.isSuccess else { throw .refused(reply, command: command.path.rawValue) }
        if command.path == .configSave, case .string(let text)? = reply.records.first?["text"] {
            output.print(json ? JSONOutput.document(command: "config save", text: text) : text)
            return
        }
        if json {
            output.print(JSONOutput.document(command: command.path.rawValue, reply: reply))
        } else if let text = PoolReplyText.render(command, reply, quiet: quiet) {
            output.print(text + "\n")
        }
    }

    func report(_ error: CLIError, command: String) {
        if json { output.print(JSONOutput.document(command: command, error: error)) }
        output.printError(error.description)
    }

    /// A script: every line is checked first (`FILE:LINE: message` for each
    /// bad one, nothing runs); then commands run in order and the first
    /// refused one stops the script.
    func runScript(_ source: String, file: String) throws(CLIError) {
        let parsed = PoolCommandParser.parse(source, file: file)
        if !parsed.errors.isEmpty {
            for error in parsed.errors.dropLast() { report(.invalidCommand(error.description), command: "") }
            throw .invalidCommand(parsed.errors.last!.description)
        }
        for command in parsed.commands {
            do {
                try execute(command)
            } catch {
                throw error.located(at: command.location)
            }
        }
    }
}

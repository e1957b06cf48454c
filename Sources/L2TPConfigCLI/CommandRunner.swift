import Foundation
import L2TPConfig
import L2TPManagement

/// Runs l2tpconfig commands: parses with L2TPConfig's grammar (the same one
/// openl2tpd reads its config file with), calls the daemon, prints the reply
/// as text or JSON. Errors are printed here and returned, so each mode only
/// decides whether to go on and what to exit with.
public final class CommandRunner {
    public let connection: any ManagementCalling
    public let output: CLIOutput
    public var json: Bool
    public var text: ReplyText
    public let table: CommandTable
    /// Nesting of `config restore` inside restored files.
    private var restoreDepth = 0

    public init(
        connection: any ManagementCalling, output: CLIOutput, json: Bool = false, quiet: Bool = false,
        fields: FieldText = FieldText(), table: CommandTable = .standard
    ) {
        self.connection = connection
        self.output = output
        self.json = json
        self.text = ReplyText(fields: fields, quiet: quiet)
        self.table = table
    }

    // MARK: - One command

    /// Parses and runs one command line; prints the result or the error.
    @discardableResult
    public func run(line: String) -> CLIError? {
        let command: ParsedCommand
        do {
            command = try parse(line)
        } catch {
            report(error, command: line)
            return error
        }
        do {
            try execute(command)
            return nil
        } catch {
            report(error, command: command.path.description)
            return error
        }
    }

    /// Grammar and validation (required parameters, combinations) of one line.
    public func parse(_ line: String, file: String = "<command>") throws(CLIError) -> ParsedCommand {
        let command: ParsedCommand
        do {
            command = try CommandParser(table: table).parseCommand(line, file: file)
        } catch {
            throw .invalidCommand(error)
        }
        if let problem = CommandValidator.validate(command, table: table).first {
            throw .invalidCommand(problem)
        }
        return command
    }

    /// Runs a parsed command; throws what went wrong without printing it.
    public func execute(_ command: ParsedCommand) throws(CLIError) {
        switch command.path {
        case .configRestore:
            try restore(path: command.string(.file) ?? "")
        case .configSave:
            try save(to: command.string(.file))
        default:
            guard let plan = RequestBuilder.plan(for: command, table: table) else {
                throw .invalidCommand("'\(command.path)' cannot be sent to the daemon")
            }
            let reply = try connection.call(plan.procedure, plan.request)
            guard reply.status.isSuccess else { throw .refused(reply, command: command.path.description) }
            if json {
                output.print(JSONOutput.document(command: command.path.description, reply: reply))
            } else {
                output.print(text.render(command, reply))
            }
        }
    }

    func report(_ error: CLIError, command: String) {
        if json { output.print(JSONOutput.document(command: command, error: error)) }
        output.printError(error.description)
    }

    // MARK: - Scripts

    /// Runs the commands of `text` (a `-f` file, stdin, or `config restore`).
    ///
    /// The whole text is parsed and validated first: if any line is wrong,
    /// every such line is reported as `FILE:LINE: message` and nothing runs,
    /// so a typo never leaves half a configuration applied. Then commands run
    /// in order and the first one the daemon refuses stops the script.
    public func runScript(_ source: String, file: String) throws(CLIError) {
        let parsed = CommandParser(table: table).parse(source, file: file)
        var problems = parsed.errors
        for command in parsed.commands {
            problems += CommandValidator.validate(command, table: table)
        }
        for warning in parsed.warnings {
            output.printError(warning.description)
        }
        if !problems.isEmpty {
            problems.sort {
                ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0)
            }
            let errors = problems.map {
                CLIError.invalidCommand($0).located(at: $0.location ?? SourceLocation(file: file, line: 0, column: 0))
            }
            for error in errors.dropLast() { report(error, command: "") }
            throw errors.last!
        }
        for command in parsed.commands {
            do {
                try execute(command)
            } catch {
                throw error.located(at: command.location)
            }
        }
    }

    // MARK: - config save / restore

    private func restore(path: String) throws(CLIError) {
        guard restoreDepth < 8 else { throw .file(path, "'config restore' nested too deeply") }
        let source = try Self.read(path)
        restoreDepth += 1
        defer { restoreDepth -= 1 }
        try runScript(source, file: path)
    }

    /// `config save [file=]`: the daemon writes its running configuration as
    /// commands (L2TP_CONFIG_SAVE; a daemon answering "not supported" is read
    /// back by `ConfigAssembler`); the CLI prints it or writes the file on
    /// this host (mode 0600, `PrivateFile`: it holds tunnel secrets and PPP
    /// passwords in clear, where show commands mask them).
    private func save(to path: String?) throws(CLIError) {
        let reply = try connection.call(.configSave, ManagementRequest())
        let text: String
        if reply.status == .notSupported {
            text = try ConfigAssembler(connection: connection, table: table).text()
        } else {
            guard reply.status.isSuccess else { throw .refused(reply, command: "config save") }
            guard let record = reply.records.first(where: { $0.kind == "config" }),
                case .string(let saved)? = record["text"]
            else {
                throw .refused(
                    .failure(.notSupported, "the daemon's reply has no configuration text"), command: "config save")
            }
            text = saved
        }
        guard let path else {
            output.print(json ? JSONOutput.document(command: "config save", text: text) : text)
            return
        }
        try Self.write(text, to: path)
        if json { output.print(JSONOutput.document(command: "config save", reply: .success())) }
    }

    static func read(_ path: String) throws(CLIError) -> String {
        if path == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw .file(path, "cannot read: \(Self.reason(error))")
        }
    }

    /// Mode 0600, no symbolic link followed, no other user's file
    /// overwritten: `PrivateFile`, as the daemon writes it.
    static func write(_ text: String, to path: String) throws(CLIError) {
        do {
            try PrivateFile.write(text, to: path)
        } catch {
            throw .file(path, "cannot write: \(error.reason)")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain, let text = strerror(Int32(underlying.code))
        {
            return String(cString: text)
        }
        if (error as NSError).code == NSFileReadNoSuchFileError { return "No such file or directory" }
        return error.localizedDescription
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// l2tpconfig's entry point, separated from `main.swift` so every mode can be
/// run from tests with a captured output and a test daemon.
public enum L2TPConfigProgram {
    /// Runs l2tpconfig and returns its exit status.
    /// - Parameters:
    ///   - connection: overrides the daemon connection built from the options.
    public static func run(
        arguments: [String], environment: [String: String], output: CLIOutput = .standard,
        stdinIsTerminal: Bool = isatty(STDIN_FILENO) == 1,
        connection: (any ManagementCalling)? = nil, fields: FieldText = FieldText()
    ) -> ExitStatus {
        let options: CLIOptions
        do {
            options = try CLIOptions.parse(arguments, environment: environment)
        } catch {
            output.printError("l2tpconfig: \(error)")
            return error.exitStatus
        }
        if options.showHelp {
            output.print(helpText)
            return .success
        }
        let runner = CommandRunner(
            connection: connection ?? DaemonConnection(options: options), output: output,
            json: options.json, quiet: options.quiet, fields: fields)
        switch options.mode(stdinIsTerminal: stdinIsTerminal) {
        case .oneShot(let line):
            // `l2tpconfig help tunnel create` works as at the prompt.
            if let topic = InteractiveShell.helpTopic(line) {
                output.print(InteractiveShell.help(for: topic))
                return .success
            }
            return runner.run(line: line)?.exitStatus ?? .success
        case .script(let path):
            do {
                let source = try CommandRunner.read(path)
                try runner.runScript(source, file: path == "-" ? "<stdin>" : path)
                return .success
            } catch {
                runner.report(error, command: "")
                return error.exitStatus
            }
        case .interactive:
            return InteractiveShell(runner: runner, history: HistorySettings(environment: environment)).run()
        }
    }

    public static let helpText = """
        \(CLIOptions.usageLine)

        With a command, runs it and exits; with -f FILE (or commands on a
        non-terminal stdin), runs the file's commands; otherwise prompts 'l2tp> '
        with TAB completion, '?' help and history ($L2TP_HISTFILE).

          -q            quiet: no confirmations such as "Created tunnel N"
          -j, --json    one JSON document per command on stdout
          -R host[:port] manage openl2tpd on another host (TCP)
          -t            use TCP to the local daemon
          -S path       the daemon's Unix socket (default /run/openl2tpd/l2tpd.sock, or $L2TP_SOCKET)
          -f file       run commands from a file ('-' for stdin)

        Exit status: 0 ok, 1 a command failed, 2 bad options, 3 daemon unreachable.

        """
}

import IPPool
import L2TPConfigCLI

/// `ippoolconfig [-q] [-j] [-R host[:port]] [-t] [-S path] [-f file] [command ...]`,
/// the options of l2tpconfig. Options end at the first word that is not one.
struct PoolCLIOptions {
    var quiet = false
    var json = false
    var remoteHost: String?
    var useTCP = false
    var socketPath: String
    var scriptPath: String?
    var commandWords: [String] = []
    var showHelp = false

    static let socketEnvironmentVariable = "IPPOOL_SOCKET"
    static let usageLine = "usage: ippoolconfig [-q] [-j] [-R host[:port]] [-t] [-S path] [-f file] [command ...]"

    static func parse(_ arguments: [String], environment: [String: String]) throws(CLIError) -> PoolCLIOptions {
        var options = PoolCLIOptions(
            socketPath: environment[socketEnvironmentVariable] ?? IPPoolProcedure.defaultSocketPath)
        var rest = arguments[...]
        func value(_ option: String) throws(CLIError) -> String {
            guard let next = rest.popFirst() else { throw .usage("option \(option) needs a value; \(usageLine)") }
            return next
        }
        while let argument = rest.first, argument.hasPrefix("-"), argument != "-" {
            rest = rest.dropFirst()
            switch argument {
            case "-q": options.quiet = true
            case "-j", "--json": options.json = true
            case "-t": options.useTCP = true
            case "-R": options.remoteHost = try value("-R")
            case "-S": options.socketPath = try value("-S")
            case "-f": options.scriptPath = try value("-f")
            case "-h", "--help": options.showHelp = true
            case "--": options.commandWords = Array(rest); return options
            default: throw .usage("unknown option '\(argument)'; \(usageLine)")
            }
        }
        options.commandWords = Array(rest)
        if options.scriptPath != nil, !options.commandWords.isEmpty {
            throw .usage("give either -f FILE or a command, not both; \(usageLine)")
        }
        return options
    }

    static let helpText = """
        \(usageLine)

        With a command, runs it and exits; with -f FILE (or commands on a
        non-terminal stdin), runs the file's commands; otherwise prompts
        'ippool> ' with TAB completion, '?' help and history ($IPPOOL_HISTFILE).

          -q             quiet: no confirmations such as "Created pool default"
          -j, --json     one JSON document per command on stdout
          -R host[:port] manage ippoold on another host (TCP)
          -t             use TCP to the local daemon
          -S path        ippoold's Unix socket (default /run/ippoold/ippoold.sock, or $IPPOOL_SOCKET)
          -f file        run commands from a file ('-' for stdin)

        Commands:
        \(PoolCommandSpec.all.map { "  \($0.path.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \($0.help)" }.joined(separator: "\n"))

        Exit status: 0 ok, 1 a command failed, 2 bad options, 3 ippoold unreachable.

        """
}

import L2TPConfig
import L2TPManagement

/// l2tpconfig's command line: `l2tpconfig [-q] [-j] [-R host] [-t] [-S path]
/// [-f file] [command ...]`. Options end at the first word that is not one.
public struct CLIOptions: Hashable, Sendable {
    public enum Mode: Hashable, Sendable {
        /// No command and a terminal on stdin: the `l2tp> ` prompt.
        case interactive
        /// Command words from the command line.
        case oneShot(String)
        /// Commands from a file (`-f FILE`, `-` for stdin).
        case script(path: String)
    }

    /// `-q`: no confirmations such as "Created tunnel 17767".
    public var quiet = false
    /// `-j`/`--json`: one JSON document per command on stdout.
    public var json = false
    /// `-R host[:port]`: TCP to a remote openl2tpd (port from rpcbind unless given).
    public var remoteHost: String?
    /// `-t`: TCP even to the local daemon (127.0.0.1).
    public var useTCP = false
    /// `-S path` or `$L2TP_SOCKET`: the Unix socket of a local daemon.
    public var socketPath: String
    /// `-f file`.
    public var scriptPath: String?
    public var commandWords: [String] = []
    public var showHelp = false

    public static let socketEnvironmentVariable = "L2TP_SOCKET"

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// How the daemon is reached, for messages.
    public var targetDescription: String {
        if let remoteHost { return remoteHost }
        if useTCP { return "127.0.0.1" }
        return socketPath
    }

    /// What to run, given whether stdin is a terminal.
    public func mode(stdinIsTerminal: Bool) -> Mode {
        if !commandWords.isEmpty { return .oneShot(Self.commandLine(from: commandWords)) }
        if let scriptPath { return .script(path: scriptPath) }
        return stdinIsTerminal ? .interactive : .script(path: "-")
    }

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String], environment: [String: String]) throws(CLIError) -> CLIOptions {
        var options = CLIOptions(
            socketPath: environment[socketEnvironmentVariable] ?? ManagementClient.defaultSocketPath)
        var rest = arguments[...]
        func value(for option: String) throws(CLIError) -> String {
            guard let next = rest.first else { throw .usage("option \(option) needs a value; \(usageLine)") }
            rest = rest.dropFirst()
            return next
        }
        while let argument = rest.first, argument.hasPrefix("-"), argument != "-" {
            rest = rest.dropFirst()
            switch argument {
            case "--":
                options.commandWords = Array(rest)
                return options
            case "-q", "--quiet": options.quiet = true
            case "-j", "--json": options.json = true
            case "-t", "--tcp": options.useTCP = true
            case "-R", "--remote": options.remoteHost = try value(for: argument)
            case "-S", "--socket": options.socketPath = try value(for: argument)
            case "-f", "--file": options.scriptPath = try value(for: argument)
            case "-h", "--help": options.showHelp = true
            default:
                // Clustered short flags: -qj.
                let flags = argument.dropFirst()
                guard !argument.hasPrefix("--"), flags.allSatisfy({ "qjt".contains($0) }) else {
                    throw .usage("unknown option '\(argument)'; \(usageLine)")
                }
                for flag in flags {
                    switch flag {
                    case "q": options.quiet = true
                    case "j": options.json = true
                    default: options.useTCP = true
                    }
                }
            }
        }
        options.commandWords = Array(rest)
        if options.scriptPath != nil && !options.commandWords.isEmpty {
            throw .usage("give either -f FILE or a command, not both; \(usageLine)")
        }
        return options
    }

    public static let usageLine =
        "usage: l2tpconfig [-q] [-j|--json] [-R host[:port]] [-t] [-S socket] [-f file|-] [command ...]"

    /// Joins shell words back into one command line. The shell removed any
    /// quotes, so values with blanks or quotes are quoted again.
    public static func commandLine(from words: [String]) -> String {
        words.map { word in
            guard let equals = word.firstIndex(of: "=") else { return word }
            let value = String(word[word.index(after: equals)...])
            return word[...equals] + CommandRenderer.quotedIfNeeded(value)
        }.joined(separator: " ")
    }
}

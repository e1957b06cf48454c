import IPPool

/// ippoold's command line, as OpenL2TP's: `-d` debug, `-L facility`, `-f`
/// foreground, `-R` allow other hosts, plus `-c FILE` (pools to create at
/// start) and `-S PATH` (the Unix socket).
struct DaemonOptions {
    var debug = false
    var facility = "daemon"
    var foreground = false
    var allowRemote = false
    var configPath: String?
    var socketPath = IPPoolProcedure.defaultSocketPath
    var enableTCP = true
    var showHelp = false

    static let usage = """
        usage: ippoold [-d] [-f] [-R] [-L facility] [-c FILE] [-S PATH] [-T]
          -d          debug logging
          -f          stay in the foreground, log to stderr
          -R          accept management from other hosts (TCP on 0.0.0.0)
          -L facility syslog facility (daemon, local0..local7; default daemon)
          -c FILE     create the pools described in FILE (ippoolconfig grammar)
          -S PATH     Unix socket (default /run/ippoold/ippoold.sock)
          -T          no TCP listener (Unix socket only)
        """

    static let facilities = [
        "daemon", "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ]

    static func parse(_ arguments: [String]) throws(IPPoolError) -> DaemonOptions {
        var options = DaemonOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws(IPPoolError) -> String {
            guard let next = rest.popFirst() else { throw .syntax("option \(flag) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "-d": options.debug = true
            case "-f": options.foreground = true
            case "-R": options.allowRemote = true
            case "-T": options.enableTCP = false
            case "-h", "--help": options.showHelp = true
            case "-L":
                let facility = try value("-L")
                guard facilities.contains(facility) else {
                    throw .syntax("-L: unknown facility '\(facility)' (one of \(facilities.joined(separator: ", ")))")
                }
                options.facility = facility
            case "-c": options.configPath = try value("-c")
            case "-S": options.socketPath = try value("-S")
            default: throw .syntax("unknown option '\(argument)'")
            }
        }
        return options
    }
}

import L2TPConfig

/// The command line of `openl2tpd`, with OpenL2TP 1.8's option letters so
/// init scripts carry over. Parsed by hand (getopt style: `-u 1701` or
/// `-u1701`) because the daemon's options are few and their errors must name
/// the option exactly.
public struct DaemonOptions: Hashable, Sendable {
    /// `-f`: stay in the foreground and log to stderr as well as syslog.
    public var foreground = false
    /// `-c FILE`: configuration read at start and on SIGHUP.
    public var configFile = "/etc/openl2tpd.conf"
    /// `-d FLAGS`: system trace flags (names or a number).
    public var traceFlags: TraceFlags = .none
    /// `-D`: all trace flags on the default profiles.
    public var traceDefaultProfiles = false
    /// `-p PLUGIN[:ARGS]`: plugins to load, in order (docs/daemon-plugins.md).
    public var plugins: [String] = []
    /// `--plugin-dir DIR`: where bare `-p` names are found (nil: `$OPENL2TP_PLUGIN_DIR`, else /usr/lib/openl2tp).
    public var pluginDirectory: String? = nil
    /// `--ppp-event-socket PATH`: where pppd's openl2tp.so sends PPP up/down and ACCM (tests use their own).
    public var pppEventSocket = "/tmp/openl2tp-event.sock"
    /// `-u PORT`: the UDP port that listens for SCCRQs.
    public var udpPort: UInt16 = 1701
    /// `-R`: allow management RPC from other hosts.
    public var allowRemoteManagement = false
    /// `-P FILE`: pid file.
    public var pidFile: String? = "/var/run/openl2tpd.pid"
    /// `-L FACILITY`: syslog facility.
    public var syslogFacility: SyslogFacility = .daemon
    /// `-y N`: most pppd processes starting at once (0 = no limit).
    public var maxStartingPPP = 0
    /// `--pcap FILE`: write every control datagram sent and received to a pcap file.
    public var pcapFile: String? = nil
    /// `-l ADDRESS` / `--listen-address`: local address of the listening socket.
    public var listenAddress = "0.0.0.0"
    /// `--rpc-socket PATH`: the management Unix socket (docs/management-rpc.md).
    public var rpcSocket = "/run/openl2tpd/l2tpd.sock"
    /// `--no-rpc-tcp`: management on the Unix socket only (no TCP listener,
    /// no rpcbind registration): hardening, and tests that must not touch
    /// the host's shared rpcbind mapping for program 300773.
    public var rpcTCP = true
    /// `-h` / `--help`.
    public var showHelp = false
    /// `-v` / `--version`.
    public var showVersion = false

    public init() {}

    public static let usage = """
        usage: openl2tpd [-f] [-c FILE] [-d FLAGS] [-D] [-p PLUGIN]... [-u PORT] [-R]
                         [-P PIDFILE] [-L FACILITY] [-y N] [-l ADDRESS] [--pcap FILE]
                         [--rpc-socket PATH] [--no-rpc-tcp]
                         [--plugin-dir DIR] [--ppp-event-socket PATH]
          -f            run in the foreground, log to stderr too
          -c FILE       configuration file (default /etc/openl2tpd.conf)
          -d FLAGS      system trace flags: PROTOCOL,FSM,API,AVP,AVP_HIDE,AVP_DATA,
                        FUNC,XPRT,DATA,SYSTEM,PPP, ALL or a number
          -D            all trace flags on the default profiles
          -p PLUGIN[:ARGS]  load a plugin (repeatable, in order); a name is looked
                        up in the plugin directory, a path is used as is
          --plugin-dir DIR  plugin directory (default $OPENL2TP_PLUGIN_DIR or
                        /usr/lib/openl2tp)
          --ppp-event-socket PATH  pppd's event socket (default /tmp/openl2tp-event.sock)
          -u PORT       UDP port to listen on (default 1701)
          -R            allow management from other hosts
          -P PIDFILE    pid file (default /var/run/openl2tpd.pid)
          -L FACILITY   syslog facility (default daemon; local0..local7, user, ...)
          -y N          at most N pppd processes starting at once
          -l ADDRESS    listen on this IPv4 address only (default all)
          --pcap FILE   write all control messages to FILE (pcap, for Wireshark)
          --rpc-socket PATH  management socket (default /run/openl2tpd/l2tpd.sock)
          --no-rpc-tcp  management on the Unix socket only (no TCP, no rpcbind)
        """

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(DaemonError) -> DaemonOptions {
        var options = DaemonOptions()
        var index = 0

        func value(for option: String, attached: Substring) throws(DaemonError) -> String {
            if !attached.isEmpty { return String(attached) }
            index += 1
            guard index < arguments.count else { throw .usage("option \(option) needs a value") }
            return arguments[index]
        }

        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
                let attached =
                    body.contains("=")
                    ? body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[1] : ""
                switch name {
                case "pcap": options.pcapFile = try value(for: "--pcap", attached: attached)
                case "listen-address": options.listenAddress = try value(for: "--listen-address", attached: attached)
                case "rpc-socket": options.rpcSocket = try value(for: "--rpc-socket", attached: attached)
                case "plugin-dir": options.pluginDirectory = try value(for: "--plugin-dir", attached: attached)
                case "ppp-event-socket":
                    options.pppEventSocket = try value(for: "--ppp-event-socket", attached: attached)
                case "no-rpc-tcp": options.rpcTCP = false
                case "help": options.showHelp = true
                case "version": options.showVersion = true
                default: throw .usage("unknown option --\(name)")
                }
                index += 1
                continue
            }
            guard argument.hasPrefix("-"), argument.count >= 2 else {
                throw .usage("unexpected argument '\(argument)'")
            }
            let letter = argument[argument.index(after: argument.startIndex)]
            let attached = argument.dropFirst(2)
            let option = "-\(letter)"
            let takesValue = "cdpuPLyl".contains(letter)
            if !takesValue, !attached.isEmpty {
                // Flags may be grouped: -fD.
                for flag in argument.dropFirst() {
                    try options.setFlag(flag)
                }
                index += 1
                continue
            }
            switch letter {
            case "c": options.configFile = try value(for: option, attached: attached)
            case "d":
                let text = try value(for: option, attached: attached)
                switch TraceFlags.parse(text) {
                case .success(let flags): options.traceFlags = flags
                case .failure(let error): throw .usage("-d: \(error)")
                }
            case "p": options.plugins.append(try value(for: option, attached: attached))
            case "u":
                let text = try value(for: option, attached: attached)
                guard let port = UInt16(text), port > 0 else {
                    throw .usage("-u: '\(text)' is not a UDP port (1-65535)")
                }
                options.udpPort = port
            case "P": options.pidFile = try value(for: option, attached: attached)
            case "L":
                let text = try value(for: option, attached: attached)
                guard let facility = SyslogFacility(name: text) else {
                    throw .usage(
                        "-L: '\(text)' is not a syslog facility (\(SyslogFacility.allNames.joined(separator: ", ")))")
                }
                options.syslogFacility = facility
            case "y":
                let text = try value(for: option, attached: attached)
                guard let count = Int(text), count >= 0 else {
                    throw .usage("-y: '\(text)' is not a count of pppd processes")
                }
                options.maxStartingPPP = count
            case "l": options.listenAddress = try value(for: option, attached: attached)
            default:
                try options.setFlag(letter)
            }
            index += 1
        }
        guard IPv4Address(dotted: options.listenAddress) != nil else {
            throw .usage("-l: '\(options.listenAddress)' is not an IPv4 address")
        }
        return options
    }

    private mutating func setFlag(_ letter: Character) throws(DaemonError) {
        switch letter {
        case "f": foreground = true
        case "D": traceDefaultProfiles = true
        case "R": allowRemoteManagement = true
        case "h": showHelp = true
        case "v": showVersion = true
        default: throw .usage("unknown option -\(letter)")
        }
    }
}

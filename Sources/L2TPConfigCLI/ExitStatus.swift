/// Process exit codes of l2tpconfig (documented in docs/l2tpconfig.md), so
/// scripts can tell a typo from a refused change from a daemon that is down.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// A command was wrong (unknown keyword, bad value) or the daemon refused it.
    case commandFailed = 1
    /// Bad command-line options.
    case usage = 2
    /// openl2tpd could not be reached or the RPC exchange failed.
    case daemonUnreachable = 3
}

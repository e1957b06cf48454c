/// Why pppd ended, from its wait status, as the session's close reason.
/// Exit codes are pppd(8)'s "EXIT STATUS" section.
public enum PPPDExitStatus: Hashable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Reaped by someone else (e.g. a SIGCHLD handler calling waitpid(-1)).
    case unknown

    /// From a waitpid() status word.
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    public var description: String {
        switch self {
        case .exited(let code):
            let meaning = Self.meanings[code].map { ": \($0)" } ?? ""
            return "pppd exited with status \(code)\(meaning)"
        case .signaled(let signal): return "pppd was killed by signal \(signal)"
        case .unknown: return "pppd exited (status unknown: reaped elsewhere)"
        }
    }

    static let meanings: [Int32: String] = [
        0: "the connection was terminated (by the peer or normally)",
        1: "fatal error (a system call failed or memory ran out)",
        2: "error in the options given",
        3: "pppd is not setuid-root and the user is not root",
        4: "the kernel does not support PPP",
        5: "terminated by SIGINT, SIGTERM or SIGHUP",
        6: "the serial port could not be locked",
        7: "the serial port could not be opened",
        8: "the connect script failed",
        9: "the pty command could not be run",
        10: "PPP negotiation failed",
        11: "the peer failed to authenticate",
        12: "the link was idle",
        13: "the connect time limit was reached",
        14: "callback negotiated",
        15: "the peer does not answer echo requests",
        16: "the modem hung up",
        17: "serial loopback detected",
        18: "the init script failed",
        19: "we failed to authenticate to the peer",
    ]
}

import L2TPWire

/// RFC 2661 7.2.1, wait-ctl-conn: we answered SCCRP (with our challenge, if
/// any) and wait for SCCCN, whose response is checked here.
struct WaitCtlConnState {
    var challenge: [UInt8]?
}

extension ControlConnection {
    func waitCtlConnReceivedSCCCN(_ message: ControlMessage, _ waiting: WaitCtlConnState, now: L2TPInstant) {
        guard verifyResponse(to: waiting.challenge, in: message, type: .scccn) else {
            close(ResultCode(.notAuthorized, error: .noError, message: "challenge response mismatch"), now: now)
            return
        }
        becomeEstablished(now: now)
    }
}

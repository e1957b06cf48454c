import L2TPWire

/// A responder's SCCRQ waits here for the caller's decision. Its
/// retransmissions are acknowledged by the transport as duplicates; the
/// tunnel's establish timeout still runs (RFC 2661 7.2.1 leaves the time a
/// responder takes to itself, the peer's retransmissions bound it).
struct WaitAdmissionState {
    /// The SCCRQ, answered once the decision comes.
    var request: ControlMessage
}

extension ControlConnection {
    /// The caller decided on the SCCRQ (`L2TPEndpoint.decideTunnel`).
    func admissionDecided(_ decision: TunnelAdmission, now: L2TPInstant) throws(L2TPControlError) {
        guard case .waitAdmission(let waiting) = state else { throw .notWaitingForAdmission("tunnel \(id)") }
        let message = waiting.request
        switch decision {
        case .refuse(let result):
            close(result, now: now)
            return
        case .accept(let accepted):
            parameters = accepted
            transport.reconfigure(accepted.transport)
            // Half-open, it lives as long as its peer could still be
            // repeating the SCCRQ (one full retransmission cycle), not the
            // whole establish timeout: a flood's tunnels age out in seconds.
            establishDeadline = now + min(accepted.establishTimeout, accepted.transport.fullRetransmissionCycle)
            reachableEstablishDeadline = now + accepted.establishTimeout
        }
        // The admitted parameters may change simple auth: check again.
        if !hostNameAcceptable(message) {
            close(ResultCode(.notAuthorized, error: .noError, message: "unexpected host name"), now: now)
            return
        }
        learnPeer(message, now: now)
        var avps = establishmentAVPs()
        if let peerChallenge = message.challenge {
            guard let response = response(toPeerChallenge: peerChallenge, type: .sccrp) else {
                close(
                    ResultCode(.notAuthorized, error: .noError, message: "challenged but no secret configured"),
                    now: now)
                return
            }
            avps.append(.challengeResponse(response))
        }
        if parameters.authMode == .challenge, (parameters.secret ?? []).isEmpty {
            close(ResultCode(.notAuthorized, error: .noError, message: "challenge auth without a secret"), now: now)
            return
        }
        let challenge = makeChallenge()
        if let challenge { avps.append(.challenge(challenge)) }
        send(.sccrp, avps, now: now)
        state = .waitCtlConn(WaitCtlConnState(challenge: challenge))
    }
}

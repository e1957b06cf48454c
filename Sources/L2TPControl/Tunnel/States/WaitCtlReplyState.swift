import L2TPWire

/// RFC 2661 7.2.1, wait-ctl-reply: we sent SCCRQ (with our challenge and
/// tie breaker, if any) and wait for SCCRP.
struct WaitCtlReplyState {
    var challenge: [UInt8]?
    var tieBreaker: UInt64?
}

extension ControlConnection {
    /// Local open request: send SCCRQ. Never hidden (RFC 2661 4.3 is allowed
    /// to, but many peers cannot unhide before they know us).
    func start(now: L2TPInstant) {
        if parameters.authMode == .challenge, (parameters.secret ?? []).isEmpty {
            close(ResultCode(.notAuthorized, error: .noError, message: "challenge auth without a secret"), now: now)
            return
        }
        var avps = establishmentAVPs()
        let challenge = makeChallenge()
        if let challenge { avps.append(.challenge(challenge)) }
        // RFC 2661 4.4.3: the lower value wins; 64 random bits.
        let tieBreaker = parameters.useTieBreaker ? core.randomUInt64() : nil
        if let tieBreaker { avps.append(.tieBreaker(tieBreaker)) }
        state = .waitCtlReply(WaitCtlReplyState(challenge: challenge, tieBreaker: tieBreaker))
        send(.sccrq, avps, now: now)
        afterEvent(now: now)
    }

    var ourTieBreaker: UInt64? {
        if case .waitCtlReply(let waiting) = state { return waiting.tieBreaker }
        return nil
    }

    func waitCtlReplyReceivedSCCRP(
        _ message: ControlMessage, _ waiting: WaitCtlReplyState, from source: PeerAddress, now: L2TPInstant
    ) {
        peerTunnelID = message.assignedTunnelID ?? 0
        // RFC 2661 8.1: the responder may answer from another port; the
        // tunnel uses that port from now on.
        if source != peer, source.isSameHost(as: peer) {
            peer = source
            core.emit(.tunnelPeerMoved(id, source))
        }
        if peerTunnelID == 0 {
            // RFC 2661 4.4.3: the Assigned Tunnel ID is non-zero.
            close(
                ResultCode(StopResult.generalError, error: .badValue, message: "Assigned Tunnel ID 0"), now: now)
            return
        }
        if let problem = establishmentProblem(message) {
            close(problem, now: now)
            return
        }
        guard verifyResponse(to: waiting.challenge, in: message, type: .sccrp) else {
            // RFC 2661 5.1.1: a wrong response MUST disallow the tunnel.
            close(ResultCode(.notAuthorized, error: .noError, message: "challenge response mismatch"), now: now)
            return
        }
        learnPeer(message, now: now)
        var avps: [AVP] = []
        if let peerChallenge = message.challenge {
            guard let response = response(toPeerChallenge: peerChallenge, type: .scccn) else {
                close(
                    ResultCode(.notAuthorized, error: .noError, message: "challenged but no secret configured"),
                    now: now)
                return
            }
            avps.append(.challengeResponse(response))
        }
        send(.scccn, avps, now: now)
        becomeEstablished(now: now)
    }
}

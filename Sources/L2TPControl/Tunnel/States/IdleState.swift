import L2TPWire

/// RFC 2661 7.2.1, idle: a responder receives SCCRQ and answers SCCRP
/// (acceptable) or StopCCN (not acceptable).
extension ControlConnection {
    func idleReceivedSCCRQ(_ message: ControlMessage, now: L2TPInstant) {
        // Address any StopCCN to the peer's tunnel.
        peerTunnelID = message.assignedTunnelID ?? 0
        if let problem = establishmentProblem(message) {
            close(problem, now: now)
            return
        }
        let request = IncomingTunnelRequest(
            tunnelID: id, peer: peer, peerTunnelID: peerTunnelID, peerHostName: message.hostName ?? "",
            peerVendorName: message.vendorName, peerFramingCapabilities: message.framingCapabilities ?? [],
            peerBearerCapabilities: message.bearerCapabilities, peerSentChallenge: message.challenge != nil,
            currentTunnelCount: tunnelCountForPolicy)
        switch core.policy.admitTunnel(request) {
        case .refuse(let result):
            close(result, now: now)
            return
        case .accept(let accepted):
            parameters = accepted
            transport.reconfigure(accepted.transport)
            establishDeadline = now + accepted.establishTimeout
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
        let challenge = makeChallenge()
        if parameters.authMode == .challenge, (parameters.secret ?? []).isEmpty {
            close(ResultCode(.notAuthorized, error: .noError, message: "challenge auth without a secret"), now: now)
            return
        }
        if let challenge { avps.append(.challenge(challenge)) }
        send(.sccrp, avps, now: now)
        state = .waitCtlConn(WaitCtlConnState(challenge: challenge))
    }
}

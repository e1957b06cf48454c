import L2TPWire

/// Tunnel authentication (RFC 2661 5.1.1, 4.4.3): the CHAP-like
/// Challenge / Challenge Response exchange and the simple host-name check.
extension ControlConnection {
    /// A fresh challenge for our SCCRQ or SCCRP when `auth_mode=challenge`.
    func makeChallenge() -> [UInt8]? {
        parameters.authMode == .challenge ? core.randomBytes(16) : nil
    }

    /// Checks the peer's response to our challenge. `type` is the message
    /// that carries it: SCCRP answers the initiator, SCCCN the responder.
    func verifyResponse(to challenge: [UInt8]?, in message: ControlMessage, type: MessageType) -> Bool {
        guard let challenge else { return true }
        guard let response = message.challengeResponse, let secret = parameters.secret else { return false }
        return ChallengeResponse.verify(response, for: type, secret: secret, challenge: challenge)
    }

    /// Our answer to the peer's challenge, or nil if we cannot answer
    /// (no secret): the caller refuses the tunnel.
    func response(toPeerChallenge challenge: [UInt8], type: MessageType) -> [UInt8]? {
        guard let secret = parameters.secret, !secret.isEmpty else { return nil }
        return ChallengeResponse.compute(for: type, secret: secret, challenge: challenge)
    }

    /// `auth_mode=simple`: the peer must present the expected host name.
    func hostNameAcceptable(_ message: ControlMessage) -> Bool {
        guard parameters.authMode == .simple, let expected = parameters.expectedPeerHostName else { return true }
        return message.hostName == expected
    }

    /// Common checks on SCCRQ/SCCRP: version (RFC 2661 7.2.1) and the
    /// receive window (5.8: zero is invalid). Returns the StopCCN result to
    /// send when the message is not acceptable.
    func establishmentProblem(_ message: ControlMessage) -> ResultCode? {
        if let version = message.protocolVersion, version != .rfc2661 {
            return ResultCode(.unsupportedProtocolVersion, error: .noError, message: "protocol version \(version)")
        }
        if message.receiveWindowSize == 0 {
            return ResultCode(StopResult.generalError, error: .badValue, message: "Receive Window Size 0")
        }
        if !hostNameAcceptable(message) {
            return ResultCode(.notAuthorized, error: .noError, message: "unexpected host name")
        }
        return nil
    }

    /// The AVPs SCCRQ and SCCRP share (RFC 2661 6.1, 6.2).
    func establishmentAVPs() -> [AVP] {
        var avps: [AVP] = [
            .protocolVersion(.rfc2661),
            .hostName(Array(parameters.hostName.utf8)),
            .framingCapabilities(parameters.framingCapabilities),
            .bearerCapabilities(parameters.bearerCapabilities),
            .assignedTunnelID(id),
            .receiveWindowSize(max(parameters.transport.receiveWindow, 1)),
        ]
        if let firmware = parameters.firmwareRevision { avps.append(.firmwareRevision(firmware)) }
        if let vendor = parameters.vendorName { avps.append(.vendorName(Array(vendor.utf8))) }
        return avps
    }

    /// Records the peer's SCCRQ/SCCRP facts and opens the window it advertised.
    func learnPeer(_ message: ControlMessage, now: L2TPInstant) {
        let info = PeerTunnelInfo(message)
        peerInfo = info
        peerTunnelID = message.assignedTunnelID ?? 0
        transport.setPeerWindow(info.receiveWindow, now: now)
    }
}

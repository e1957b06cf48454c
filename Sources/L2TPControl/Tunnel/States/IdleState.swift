import L2TPWire

/// RFC 2661 7.2.1, idle: a responder receives SCCRQ. Whether it is
/// acceptable is the caller's decision (limits, profiles, plugins that may
/// ask a RADIUS server), so the SCCRQ is reported as `.admitTunnel` and the
/// tunnel waits in wait-admission; `decideTunnel` then answers SCCRP
/// (acceptable) or StopCCN (not acceptable).
extension ControlConnection {
    func idleReceivedSCCRQ(_ message: ControlMessage, now: L2TPInstant) {
        // Address any StopCCN to the peer's tunnel.
        peerTunnelID = message.assignedTunnelID ?? 0
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
        state = .waitAdmission(WaitAdmissionState(request: message))
        core.emit(
            .admitTunnel(
                IncomingTunnelRequest(
                    tunnelID: id, peer: peer, peerTunnelID: peerTunnelID, peerHostName: message.hostName ?? "",
                    peerVendorName: message.vendorName, peerFramingCapabilities: message.framingCapabilities ?? [],
                    peerBearerCapabilities: message.bearerCapabilities, peerSentChallenge: message.challenge != nil)))
    }
}

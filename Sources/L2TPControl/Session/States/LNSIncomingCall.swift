import L2TPWire

/// RFC 2661 7.4.2, LNS incoming call: ICRQ accepted with ICRP, ICCN awaited.
extension ControlConnection {
    func lnsIncomingAccept(_ session: Session, now: L2TPInstant) {
        send(.icrp, sessionID: session.peerSessionID, [.assignedSessionID(session.id)], now: now)
        session.state = .waitConnect
    }

    func lnsIncomingReceived(_ type: MessageType, _ message: ControlMessage, _ session: Session, now: L2TPInstant) {
        guard type == .iccn, session.state == .waitConnect else {
            sessionStateError(session, type, now: now)
            return
        }
        session.learnConnected(message)
        let proxy = ProxyAuthentication(from: message)
        session.proxyAuthentication = proxy.isEmpty ? nil : proxy
        sessionEstablished(session)
    }
}

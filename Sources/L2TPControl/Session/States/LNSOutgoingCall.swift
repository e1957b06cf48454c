import L2TPWire

/// RFC 2661 7.5.2, LNS outgoing call: OCRQ sent, OCRP then OCCN received.
extension ControlConnection {
    func lnsOutgoingReceived(_ type: MessageType, _ message: ControlMessage, _ session: Session, now: L2TPInstant) {
        switch (type, session.state) {
        case (.ocrp, .waitReply):
            session.peerSessionID = message.assignedSessionID ?? 0
            guard session.peerSessionID != 0 else {
                // RFC 2661 4.4.4: the Assigned Session ID is non-zero.
                failSession(session, Self.assignedSessionIDZero, now: now)
                return
            }
            sessionsByPeerID[session.peerSessionID] = session.id
            session.peerPhysicalChannelID = message.physicalChannelID
            session.state = .waitConnect
        case (.occn, .waitConnect):
            session.learnConnected(message)
            sessionEstablished(session)
        default:
            sessionStateError(session, type, now: now)
        }
    }
}

import L2TPWire

/// RFC 2661 7.5.1, LAC outgoing call: OCRQ accepted with OCRP. There is no
/// telephone network to dial here, so the "bearer answer" happens at once
/// and OCCN follows the OCRP (as OpenL2TP does).
extension ControlConnection {
    func lacOutgoingAccept(_ session: Session, now: L2TPInstant) {
        let p = session.parameters
        var ocrp: [AVP] = [.assignedSessionID(session.id)]
        if let channel = p.physicalChannelID { ocrp.append(.physicalChannelID(channel)) }
        send(.ocrp, sessionID: session.peerSessionID, ocrp, now: now)
        // Framing: what the LNS asked for if we support it, else ours.
        var framing = session.peerFramingType ?? p.framingType
        if framing.intersection(parameters.framingCapabilities).isEmpty { framing = p.framingType }
        session.peerFramingType = framing
        send(.occn, sessionID: session.peerSessionID, connectedAVPs(p, framing: framing), now: now)
        sessionEstablished(session)
    }

    func lacOutgoingReceived(_ type: MessageType, _ message: ControlMessage, _ session: Session, now: L2TPInstant) {
        // Established already: any OCRQ/OCRP/OCCN is out of sequence (RFC 2661 7.5.1).
        sessionStateError(session, type, now: now)
    }
}

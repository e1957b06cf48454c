import L2TPWire

/// RFC 2661 7.4.1, LAC incoming call: ICRQ sent, ICRP received, ICCN sent.
extension ControlConnection {
    func lacIncomingReceived(_ type: MessageType, _ message: ControlMessage, _ session: Session, now: L2TPInstant) {
        guard type == .icrp, session.state == .waitReply else {
            sessionStateError(session, type, now: now)
            return
        }
        session.peerSessionID = message.assignedSessionID ?? 0
        guard session.peerSessionID != 0 else {
            // RFC 2661 4.4.4: the Assigned Session ID is non-zero.
            failSession(session, Self.assignedSessionIDZero, now: now)
            return
        }
        sessionsByPeerID[session.peerSessionID] = session.id
        let p = session.parameters
        var avps = connectedAVPs(p, framing: p.framingType)
        if let group = p.privateGroupID { avps.append(.privateGroupID(group)) }
        // Proxy LCP and authentication go to the LNS's PPP (RFC 2661 4.4.5).
        if let proxy = p.proxyAuthentication { avps += proxy.avps }
        send(.iccn, sessionID: session.peerSessionID, avps, now: now)
        session.proxyAuthentication = p.proxyAuthentication
        sessionEstablished(session)
    }
}

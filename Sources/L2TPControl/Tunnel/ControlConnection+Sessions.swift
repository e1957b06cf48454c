import L2TPWire

/// Session management inside a control connection: opening, lookup,
/// dispatch of call-management messages (RFC 2661 7.4, 7.5) and teardown.
extension ControlConnection {
    // MARK: - Local requests

    /// Opens a locally initiated call: LAC incoming (ICRQ) or LNS outgoing
    /// (OCRQ). Before the tunnel is up the session waits in wait-tunnel.
    func openSession(_ parameters: SessionParameters, serial: UInt32, now: L2TPInstant) throws(L2TPControlError)
        -> SessionID
    {
        guard parameters.callType.isLocallyInitiated else { throw .wrongCallType(parameters.callType) }
        if case .closing = state { throw .tunnelNotUsable(id, state: state.name) }
        guard let sessionID = core.randomID(isTaken: { sessions[$0] != nil || retiredSessionIDs.contains($0) }) else {
            throw .noFreeIdentifier("session")
        }
        let session = Session(
            id: sessionID, callType: parameters.callType, parameters: parameters, state: .waitTunnel,
            callSerialNumber: parameters.callSerialNumber ?? serial,
            establishDeadline: now + parameters.establishTimeout)
        if isEstablished {
            guard sendCallRequest(for: session, now: now) else {
                throw .sendQueueFull(id, limit: transport.configuration.maxQueuedMessages)
            }
        }
        sessions[sessionID] = session
        sessionDeadlines.push(session.establishDeadline, sessionID)
        core.statistics.sessionsCreated += 1
        afterEvent(now: now)
        return sessionID
    }

    /// Adopts a session that waited on a tunnel which lost a tie break.
    func adopt(_ session: Session) {
        sessions[session.id] = session
        sessionDeadlines.push(session.establishDeadline, session.id)
    }

    /// "tunnel-open" for a waiting session (RFC 2661 7.4.1, 7.5.2).
    func tunnelOpened(for session: Session, now: L2TPInstant) {
        if !sendCallRequest(for: session, now: now) {
            endSession(
                session,
                .closedLocally(
                    ResultCode(.temporaryLackOfResources, error: .insufficientResources, message: "send queue full")))
        }
    }

    private func sendCallRequest(for session: Session, now: L2TPInstant) -> Bool {
        let p = session.parameters
        var avps: [AVP] = [.assignedSessionID(session.id), .callSerialNumber(session.callSerialNumber)]
        let type: MessageType
        switch session.callType {
        case .lacIncoming:
            type = .icrq
            avps.append(.bearerType(p.bearerType))
            if let v = p.physicalChannelID { avps.append(.physicalChannelID(v)) }
            if let v = p.callingNumber { avps.append(.callingNumber(Array(v.utf8))) }
            if let v = p.calledNumber { avps.append(.calledNumber(Array(v.utf8))) }
            if let v = p.subAddress { avps.append(.subAddress(Array(v.utf8))) }
        default:
            type = .ocrq
            avps += [
                .minimumBPS(p.minimumBPS), .maximumBPS(p.maximumBPS), .bearerType(p.bearerType),
                .framingType(p.framingType), .calledNumber(Array((p.calledNumber ?? "").utf8)),
            ]
            if let v = p.subAddress { avps.append(.subAddress(Array(v.utf8))) }
        }
        guard send(type, avps, now: now) else { return false }
        session.state = .waitReply
        return true
    }

    /// Local close request: CDN (unless the call never left wait-tunnel).
    func closeSession(_ sessionID: SessionID, result: ResultCode, now: L2TPInstant) throws(L2TPControlError) {
        guard let session = sessions[sessionID] else { throw .unknownSession(id, sessionID) }
        if session.state == .waitTunnel {
            endSession(session, .closedLocally(result))  // RFC 2661 7.4.1: just clean up
        } else {
            failSession(session, result, now: now)
        }
        afterEvent(now: now)
    }

    // MARK: - Received call management

    func handleSessionMessage(_ type: MessageType, _ message: ControlMessage, now: L2TPInstant) {
        guard isEstablished else {
            // RFC 2661 4.4.2 error 1: no control connection exists yet.
            if type == .icrq || type == .ocrq {
                sendCDN(
                    peerSessionID: message.assignedSessionID ?? 0, ourSessionID: 0,
                    ResultCode(
                        CallResult.generalError, error: .noControlConnection, message: "\(type) before the tunnel is up"
                    ),
                    now: now)
            }
            return
        }
        switch type {
        case .icrq:
            receivedCallRequest(message, callType: .lnsIncoming, now: now)
            return
        case .ocrq:
            receivedCallRequest(message, callType: .lacOutgoing, now: now)
            return
        default:
            break
        }
        guard let session = lookupSession(message, type: type) else {
            return  // RFC 2661 7.4/7.5 idle rows: nothing to clean up
        }
        switch type {
        case .cdn:
            endSession(session, .closedByPeer(message.resultCode ?? ResultCode(result: 0), message.q931CauseCode))
        case .wen:
            if let errors = message.callErrors { core.emit(.wanErrorNotify(id, session.id, errors)) }
        case .sli:
            if let accm = message.accm { core.emit(.setLinkInfo(id, session.id, accm)) }
        default:
            switch session.callType {
            case .lacIncoming: lacIncomingReceived(type, message, session, now: now)
            case .lnsIncoming: lnsIncomingReceived(type, message, session, now: now)
            case .lacOutgoing: lacOutgoingReceived(type, message, session, now: now)
            case .lnsOutgoing: lnsOutgoingReceived(type, message, session, now: now)
            }
        }
    }

    private func lookupSession(_ message: ControlMessage, type: MessageType) -> Session? {
        if message.sessionID != 0 { return sessions[message.sessionID] }
        // A CDN sent before the peer learnt our id names its own in the AVP.
        if type == .cdn, let peerID = message.assignedSessionID, let ours = sessionsByPeerID[peerID] {
            return sessions[ours]
        }
        return nil
    }

    /// ICRQ (we are the LNS) or OCRQ (we are the LAC): the session exists
    /// from now on (it counts against every limit the caller keeps) and
    /// waits for `admissionDecided`; the request is reported as `.admitSession`.
    private func receivedCallRequest(_ message: ControlMessage, callType: CallType, now: L2TPInstant) {
        let peerSessionID = message.assignedSessionID ?? 0
        guard peerSessionID != 0 else {
            // RFC 2661 4.4.4: the Assigned Session ID is non-zero.
            sendCDN(peerSessionID: 0, ourSessionID: 0, Self.assignedSessionIDZero, now: now)
            return
        }
        if sessionsByPeerID[peerSessionID] != nil {
            // The same peer session asked twice: a state machine error for the new request.
            sendCDN(
                peerSessionID: peerSessionID, ourSessionID: 0,
                ResultCode(
                    CallResult.generalError, error: .invalidSessionID,
                    message: "session \(peerSessionID) already exists"),
                now: now)
            return
        }
        guard let sessionID = core.randomID(isTaken: { sessions[$0] != nil || retiredSessionIDs.contains($0) }) else {
            sendCDN(
                peerSessionID: peerSessionID, ourSessionID: 0,
                ResultCode(.temporaryLackOfResources, error: .insufficientResources), now: now)
            return
        }
        var waiting = SessionParameters()
        waiting.callType = callType
        let session = Session(
            id: sessionID, callType: callType, parameters: waiting, state: .waitAdmission,
            callSerialNumber: message.callSerialNumber ?? 0, establishDeadline: now + waiting.establishTimeout)
        session.peerSessionID = peerSessionID
        session.learnRequest(message)
        sessions[sessionID] = session
        sessionsByPeerID[peerSessionID] = sessionID
        sessionDeadlines.push(session.establishDeadline, sessionID)
        core.statistics.sessionsCreated += 1
        core.emit(
            .admitSession(
                IncomingSessionRequest(
                    tunnelID: id, peer: peer, peerHostName: peerInfo?.hostName ?? "", callType: callType,
                    sessionID: sessionID, peerSessionID: peerSessionID,
                    callSerialNumber: message.callSerialNumber ?? 0, bearerType: message.bearerType,
                    framingType: message.framingType, calledNumber: message.calledNumber,
                    callingNumber: message.callingNumber, subAddress: message.subAddress,
                    minimumBPS: message.minimumBPS, maximumBPS: message.maximumBPS,
                    physicalChannelID: message.physicalChannelID)))
    }

    /// The caller decided on an ICRQ/OCRQ (`L2TPEndpoint.decideSession`).
    func sessionAdmissionDecided(_ sessionID: SessionID, _ decision: SessionAdmission, now: L2TPInstant)
        throws(L2TPControlError)
    {
        guard let session = sessions[sessionID], session.state == .waitAdmission else {
            throw .notWaitingForAdmission("session \(sessionID) in tunnel \(id)")
        }
        switch decision {
        case .refuse(let result):
            // The peer never learnt our id: the CDN names none (RFC 2661 6.12).
            sendCDN(peerSessionID: session.peerSessionID, ourSessionID: 0, result, now: now)
            endSession(session, .closedLocally(result))
        case .accept(var accepted):
            accepted.callType = session.callType
            session.parameters = accepted
            session.state = .waitConnect
            // The decision may have taken time: the establish timeout counts
            // from the request, but at least the configured time remains.
            session.establishDeadline = max(session.establishDeadline, now + accepted.establishTimeout)
            sessionDeadlines.push(session.establishDeadline, sessionID)
            switch session.callType {
            case .lnsIncoming: lnsIncomingAccept(session, now: now)
            default: lacOutgoingAccept(session, now: now)
            }
        }
        afterEvent(now: now)
    }

    /// RFC 2661 4.4.4: a zero Assigned Session ID is refused with result 2, error 3.
    static let assignedSessionIDZero = ResultCode(
        CallResult.generalError, error: .badValue, message: "Assigned Session ID 0")

    // MARK: - Teardown helpers

    /// Sends CDN (RFC 2661 6.12): header to the peer's session, Assigned
    /// Session ID is ours (0 when we never assigned one).
    func sendCDN(peerSessionID: UInt16, ourSessionID: SessionID, _ result: ResultCode, now: L2TPInstant) {
        send(.cdn, sessionID: peerSessionID, [.resultCode(result), .assignedSessionID(ourSessionID)], now: now)
    }

    /// Local close or error: CDN and clean up (RFC 2661 7.4, 7.5 "Send CDN, Clean up").
    func failSession(_ session: Session, _ result: ResultCode, reason: SessionDownReason? = nil, now: L2TPInstant) {
        sendCDN(peerSessionID: session.peerSessionID, ourSessionID: session.id, result, now: now)
        endSession(session, reason ?? .closedLocally(result))
    }

    func endSession(_ session: Session, _ reason: SessionDownReason) {
        guard sessions.removeValue(forKey: session.id) != nil else { return }
        retiredSessionIDs.insert(session.id)
        if session.peerSessionID != 0, sessionsByPeerID[session.peerSessionID] == session.id {
            sessionsByPeerID[session.peerSessionID] = nil
        }
        core.emit(.sessionDown(id, session.id, reason))
    }

    /// An unexpected call-management message for this session's state.
    func sessionStateError(_ session: Session, _ type: MessageType, now: L2TPInstant) {
        failSession(
            session,
            ResultCode(
                CallResult.generalError, error: .noError,
                message: "\(type) unexpected in \(session.callType) \(session.state)"),
            now: now)
    }

    func sessionEstablished(_ session: Session) {
        session.state = .established
        let p = session.parameters
        let local = session.callType == .lacIncoming || session.callType == .lacOutgoing
        let info = SessionInfo(
            tunnelID: id, sessionID: session.id, peerTunnelID: peerTunnelID, peerSessionID: session.peerSessionID,
            peer: peer, callType: session.callType, callSerialNumber: session.callSerialNumber,
            bearerType: session.peerBearerType ?? p.bearerType,
            framingType: session.peerFramingType ?? p.framingType,
            txConnectSpeed: local ? p.txConnectSpeed : session.peerTxConnectSpeed,
            rxConnectSpeed: local ? p.rxConnectSpeed : session.peerRxConnectSpeed,
            calledNumber: session.peerCalledNumber ?? p.calledNumber,
            callingNumber: session.peerCallingNumber ?? p.callingNumber,
            subAddress: session.peerSubAddress ?? p.subAddress,
            physicalChannelID: session.peerPhysicalChannelID ?? p.physicalChannelID,
            privateGroupID: session.peerPrivateGroupID ?? p.privateGroupID,
            sequencingRequired: p.sequencingRequired || session.peerSequencingRequired,
            proxyAuthentication: session.proxyAuthentication)
        core.emit(.sessionUp(info))
    }

    /// The AVPs of ICCN and OCCN (RFC 2661 6.8, 6.11).
    func connectedAVPs(_ p: SessionParameters, framing: FramingCapabilities) -> [AVP] {
        var avps: [AVP] = [.txConnectSpeed(p.txConnectSpeed), .framingType(framing)]
        if let v = p.rxConnectSpeed { avps.append(.rxConnectSpeed(v)) }
        if p.sequencingRequired { avps.append(.sequencingRequired) }
        return avps
    }
}

import DequeModule
import L2TPWire
import NIOCore

/// One tunnel: its control connection state machine (RFC 2661 7.2), its
/// reliable transport (5.8) and its sessions (7.4, 7.5).
///
/// Owned by `L2TPEndpoint`; every entry point takes `now` and leaves its
/// outputs in the shared core's action list.
final class ControlConnection {
    let id: TunnelID
    let isInitiator: Bool
    unowned let core: EndpointCore

    var peer: PeerAddress
    var peerTunnelID: UInt16 = 0
    var parameters: TunnelParameters
    var state: TunnelState
    var peerInfo: PeerTunnelInfo?
    var transport: ReliableTransport<OutgoingMessage, IncomingMessage>
    var statistics = TunnelStatistics()

    var sessions: [SessionID: Session] = [:]
    /// Peer's session id to ours, for CDNs sent before the peer knew our id.
    var sessionsByPeerID: [UInt16: SessionID] = [:]
    var sessionDeadlines = DeadlineHeap<SessionID>()
    /// Recently closed session ids, not handed out again for a while: a
    /// message for the old session (an ICRP crossing our CDN) must not hit
    /// a new session that happens to get the same id.
    var retiredSessionIDs = RecentSet<SessionID>(capacity: 4096)

    var lastReceived: L2TPInstant
    var lastHelloSent: L2TPInstant
    var establishDeadline: L2TPInstant?
    /// Reached established once (a closing tunnel that was up is not half-open).
    var wasEstablished = false
    /// The peer sent us a message addressed to our tunnel id, which it can
    /// only know from our SCCRP: its source address is real.
    private(set) var peerIsReachable = false
    /// The establish deadline a responder gets once its peer proved reachable.
    var reachableEstablishDeadline: L2TPInstant?
    /// Set once the connection has released everything; the endpoint drops it.
    private(set) var isFreed = false

    init(
        id: TunnelID, peer: PeerAddress, parameters: TunnelParameters, isInitiator: Bool,
        core: EndpointCore, now: L2TPInstant, expectedNs: SequenceNumber = SequenceNumber(0)
    ) {
        self.id = id
        self.peer = peer
        self.parameters = parameters
        self.isInitiator = isInitiator
        self.core = core
        self.state = .idle
        self.transport = ReliableTransport(configuration: parameters.transport, expectedNs: expectedNs)
        // A responder has heard one SCCRQ, maybe from a forged source: it
        // answers each repetition of it, never on its own, until established.
        self.transport.retransmitsOnTimer = isInitiator
        self.lastReceived = now
        self.lastHelloSent = now
        self.establishDeadline = now + parameters.establishTimeout
    }

    var isEstablished: Bool { if case .established = state { true } else { false } }
    /// A responder tunnel that never reached established (the half-open
    /// table's members: what a flood of forged SCCRQs creates).
    var isHalfOpen: Bool {
        guard !isInitiator, !wasEstablished else { return false }
        return !isFreed
    }

    /// Half-open, and nothing shows its source is real: it sends only in
    /// answer to the peer, and ages out after one retransmission cycle.
    var mayBeForged: Bool { isHalfOpen && !peerIsReachable }

    /// A datagram reached us by our tunnel id (not tunnel 0): the peer heard
    /// our SCCRP, so it is no flood's forged source. The tunnel retransmits
    /// on its own from now on and waits the whole establish timeout.
    func notePeerReachable() {
        guard mayBeForged else { return }
        peerIsReachable = true
        transport.retransmitsOnTimer = true
        if let deadline = reachableEstablishDeadline, case .waitCtlConn = state { establishDeadline = deadline }
    }
    var isClosing: Bool { if case .closing = state { true } else { false } }

    // MARK: - Receiving

    /// A datagram for this tunnel, decoded (or failed to decode after its header).
    func receive(_ incoming: IncomingMessage, ns: UInt16, nr: UInt16, from source: PeerAddress, now: L2TPInstant) {
        lastReceived = now
        let isZLB: Bool
        if case .message(let message) = incoming, message.isZLB { isZLB = true } else { isZLB = false }
        if isZLB {
            statistics.zlbReceived += 1
            core.statistics.zlbRx += 1
        } else {
            statistics.messagesReceived += 1
        }
        let outcome = transport.receive(
            ns: SequenceNumber(ns), nr: SequenceNumber(nr), message: isZLB ? nil : incoming, now: now)
        switch outcome {
        case .delivered(let messages):
            for message in messages {
                dispatch(message, from: source, now: now)
                if isFreed { return }
            }
        case .duplicate:
            statistics.duplicatesReceived += 1
            if mayBeForged {
                // The peer did not hear our SCCRP (or StopCCN): it is resent
                // instead of a ZLB, once per repetition (RFC 2661 5.8
                // reliability, driven by the peer's retransmissions).
                transport.retransmitOnDuplicate(now: now)
            }
        case .queued:
            statistics.outOfOrderReceived += 1
        case .outsideWindow, .invalidNr:
            // RFC 2661 5.8: acknowledged with our real Nr and dropped.
            statistics.badMessagesReceived += 1
            if case .message(let message) = incoming, let type = message.messageType {
                core.statistics[type].rxBad += 1
            }
        }
        afterEvent(now: now)
    }

    private func dispatch(_ incoming: IncomingMessage, from source: PeerAddress, now: L2TPInstant) {
        if case .closing = state {
            // RFC 2661 5.7: after StopCCN the connection only acknowledges.
            transport.acknowledgeNow()
            if case .message(let message) = incoming, message.messageType == .stopCCN {
                closingReceived(.stopCCN, message, now: now)
            }
            return
        }
        switch incoming {
        case .malformed(let error):
            handleMalformed(error, now: now)
        case .message(let message):
            guard let type = message.messageType else { return }
            if case .idle = state, type == .sccrq {
                // Any StopCCN we answer with must reach the peer's tunnel.
                peerTunnelID = message.assignedTunnelID ?? 0
            }
            if type == .stopCCN, peerTunnelID == 0, let assigned = message.assignedTunnelID {
                // Refused before it learnt our id (RFC 2661 6.4): the ZLB
                // that acknowledges the StopCCN must reach the refuser's
                // tunnel, or it retransmits the StopCCN until it gives up.
                peerTunnelID = assigned
            }
            do {
                // Extra IETF AVPs are tolerated: some peers add harmless ones.
                try MessageSpec.validate(message, unexpected: .ignore)
            } catch {
                handleMalformed(error, message: message, now: now)
                return
            }
            core.statistics[type].rxGood += 1
            if type.isTunnelMessage {
                handleTunnelMessage(type, message, from: source, now: now)
            } else {
                handleSessionMessage(type, message, now: now)
            }
        }
    }

    /// RFC 2661 4.2, 7.1: a message we cannot accept. Unknown M-bit AVPs and
    /// broken or missing mandatory AVPs end the session or tunnel the message
    /// belongs to, with result 2 and the matching error code; an unknown
    /// message type without the M bit is ignored (4.4.1).
    private func handleMalformed(_ error: L2TPWireError, message: ControlMessage? = nil, now: L2TPInstant) {
        statistics.badMessagesReceived += 1
        if let type = error.messageType ?? message?.messageType { core.statistics[type].rxBad += 1 }
        if error.code == .unknownMessageType && !error.isMandatory { return }
        let generalError: ResultCode.GeneralError =
            switch error.code {
            case .unknownMandatoryAVP, .unknownMessageType: .unknownMandatoryAVP
            case .invalidAVPLength, .truncated, .invalidLengthField: .badLength
            default: .badValue
            }
        // The peer reads words; the code, field and offset are for our logs.
        let text = error.peerText
        let detail = error.description
        let type = error.messageType ?? message?.messageType
        let sessionID = error.header?.sessionID ?? message?.sessionID ?? 0
        if let type, !type.isTunnelMessage {
            if let session = sessions[sessionID] {
                let result = ResultCode(CallResult.generalError, error: generalError, message: text)
                failSession(session, result, reason: .malformedMessage(result, detail: detail), now: now)
                return
            }
            if sessionID == 0, type == .icrq || type == .ocrq {
                // A call request we cannot parse: refuse it. Without its
                // Assigned Session ID the CDN can only be addressed to session 0.
                let peerSession = message?.assignedSessionID ?? 0
                sendCDN(
                    peerSessionID: peerSession, ourSessionID: 0,
                    ResultCode(CallResult.generalError, error: generalError, message: text), now: now)
                return
            }
            if sessionID != 0 { return }  // a session already gone: ignore
        }
        let result = ResultCode(StopResult.generalError, error: generalError, message: text)
        close(result, reason: .malformedMessage(result, detail: detail), now: now)
    }

    private func handleTunnelMessage(
        _ type: MessageType, _ message: ControlMessage, from source: PeerAddress, now: L2TPInstant
    ) {
        switch (state, type) {
        case (_, .stopCCN):
            peerClosed(message, now: now)
        case (.idle, .sccrq):
            idleReceivedSCCRQ(message, now: now)
        case (.waitCtlReply(let waiting), .sccrp):
            waitCtlReplyReceivedSCCRP(message, waiting, from: source, now: now)
        case (.waitCtlConn(let waiting), .scccn):
            waitCtlConnReceivedSCCCN(message, waiting, now: now)
        case (_, .hello):
            break  // the transport has acknowledged it; that is all Hello asks (RFC 2661 6.5)
        default:
            // RFC 2661 7.2.1: SCCRQ/SCCRP/SCCCN out of sequence clear the connection.
            close(ResultCode(.stateMachineError, message: "\(type) in state \(state.name)"), now: now)
        }
    }

    // MARK: - Timers

    var nextDeadline: L2TPInstant? {
        if isFreed { return nil }
        var deadline = transport.nextDeadline
        func consider(_ candidate: L2TPInstant?) {
            guard let candidate else { return }
            deadline = deadline.map { min($0, candidate) } ?? candidate
        }
        switch state {
        case .idle, .waitAdmission, .waitCtlReply, .waitCtlConn:
            consider(establishDeadline)
        case .established:
            consider(helloDeadline)
        case .closing(let closing):
            consider(closing.freeAt)
        }
        consider(sessionDeadlines.first?.deadline)
        return deadline
    }

    func handleTimeout(now: L2TPInstant) {
        guard !isFreed else { return }
        switch transport.handleTimeout(now: now) {
        case .peerUnreachable:
            peerUnreachable(now: now)
            return
        case .retransmitted, .none:
            break
        }
        switch state {
        case .idle, .waitAdmission, .waitCtlReply, .waitCtlConn:
            if let deadline = establishDeadline, deadline <= now {
                establishDeadline = nil
                if mayBeForged {
                    // Nothing heard since the SCCRQ: its source may be
                    // forged, so the tunnel goes without a StopCCN.
                    discard(reason: .establishTimeout)
                    return
                }
                close(
                    ResultCode(StopResult.generalError, error: .noError, message: "not established in time"),
                    reason: .establishTimeout, now: now)
            }
        case .established:
            establishedTimeout(now: now)
        case .closing(let closing):
            if closing.freeAt <= now {
                free()
                return
            }
        }
        expireSessions(now: now)
        afterEvent(now: now)
    }

    private func expireSessions(now: L2TPInstant) {
        while let (deadline, sessionID) = sessionDeadlines.first, deadline <= now {
            sessionDeadlines.popFirst()
            guard let session = sessions[sessionID], session.establishDeadline == deadline, !session.isEstablished
            else { continue }
            failSession(session, ResultCode(.timeout, message: "session not established in time"), now: now)
        }
    }

    /// Drops heap entries of sessions that came up or went away, so that
    /// `nextDeadline` does not report timers nobody needs.
    private func pruneSessionDeadlines() {
        while let (deadline, sessionID) = sessionDeadlines.first {
            if let session = sessions[sessionID], session.establishDeadline == deadline, !session.isEstablished {
                break
            }
            sessionDeadlines.popFirst()
        }
    }

    // MARK: - Sending

    /// Encodes and queues a message. Hidden AVPs when configured, except in
    /// the handshake's first two messages (see `hidesAVPs(in:)`).
    @discardableResult
    func send(
        _ type: MessageType, sessionID: UInt16 = 0, _ avps: [AVP], priority: Bool = false, now: L2TPInstant
    ) -> Bool {
        var hidden: Set<AVPType> = []
        if parameters.hidesAVPs, Self.hidesAVPs(in: type) {
            for avp in avps { if let t = avp.type, t.rule.mayBeHidden { hidden.insert(t) } }
        }
        let message = ControlMessage(type, tunnelID: peerTunnelID, sessionID: sessionID, avps: avps, hidden: hidden)
        let bytes: ByteBuffer
        do {
            bytes = try message.encoded(
                secret: hidden.isEmpty ? nil : parameters.secret,
                randomVector: hidden.isEmpty ? nil : core.randomBytes(16))
        } catch {
            // Only reachable with values too long for their length field
            // (e.g. a 64 KiB host name); refuse rather than send garbage.
            return false
        }
        do {
            try transport.enqueue(OutgoingMessage(type: type, bytes: bytes), priority: priority, now: now)
        } catch {
            return false
        }
        return true
    }

    /// Whether AVPs are hidden in a message of `type` (RFC 2661 4.3 allows it
    /// in every message). SCCRQ and SCCRP are sent in the clear because
    /// their receiver picks the shared secret by the sender's Host Name,
    /// which it knows only once the whole message is read: xl2tpd, for one,
    /// looks its secret up after processing every AVP of an SCCRP and so
    /// rejects a hidden one with StopCCN "Invalid Hidden AVP". Hiding still
    /// covers SCCCN (our Challenge Response) and every session message,
    /// where the values worth hiding (numbers, names, proxy auth) travel.
    static func hidesAVPs(in type: MessageType) -> Bool {
        type != .sccrq && type != .sccrp
    }

    /// Turns the transport's transmissions into `.send` actions.
    func flush() {
        for transmission in transport.takeTransmissions() {
            var bytes: ByteBuffer
            if let message = transmission.message {
                bytes = message.bytes
                // Encoded once; each (re)transmission carries the current Ns/Nr (RFC 2661 5.8).
                ControlMessage.rewriteSequenceNumbers(
                    in: &bytes, ns: transmission.ns.rawValue, nr: transmission.nr.rawValue)
                if transmission.isRetransmission {
                    statistics.retransmissions += 1
                    core.statistics.retransmissions += 1
                } else {
                    statistics.messagesSent += 1
                    core.statistics[message.type].tx += 1
                }
            } else {
                let zlb = ControlMessage.zlb(
                    tunnelID: peerTunnelID, ns: transmission.ns.rawValue, nr: transmission.nr.rawValue)
                guard let encoded = try? zlb.encoded() else { continue }
                bytes = encoded
                statistics.zlbSent += 1
                core.statistics.zlbTx += 1
            }
            core.emit(.send(bytes, to: peer, tunnel: id))
        }
    }

    /// Common tail of every event: emit datagrams, drop stale timers.
    func afterEvent(now: L2TPInstant) {
        guard !isFreed else { return }
        flush()
        pruneSessionDeadlines()
    }

    // MARK: - Teardown

    /// Sends StopCCN (ahead of queued session traffic, which it supersedes),
    /// takes every session down and lingers to acknowledge retransmissions.
    func close(_ result: ResultCode, reason: TunnelDownReason? = nil, now: L2TPInstant) {
        if case .closing = state { return }
        _ = transport.discardQueued()
        send(.stopCCN, [.assignedTunnelID(id), .resultCode(result)], priority: true, now: now)
        // On the wire before the sessions' down events: the daemon's work
        // for 100 sessions must not hold the StopCCN back.
        flush()
        enterClosing(reason: reason ?? .closedLocally(result), now: now)
    }

    /// RFC 2661 5.7: on StopCCN, acknowledge at once, clean up, and keep
    /// enough state to acknowledge its retransmissions for a full cycle.
    private func peerClosed(_ message: ControlMessage, now: L2TPInstant) {
        _ = transport.discardQueued()
        transport.acknowledgeNow()
        // The ZLB leaves before the sessions' down events, so the peer (which
        // may be waiting for it to exit) is not held up by our teardown.
        flush()
        enterClosing(reason: .closedByPeer(message.resultCode ?? ResultCode(result: 0)), now: now)
    }

    private func enterClosing(reason: TunnelDownReason, now: L2TPInstant) {
        tearDownSessions(.tunnelDown(reason))
        state = .closing(ClosingState(reason: reason, freeAt: now + parameters.transport.fullRetransmissionCycle))
        core.emit(.tunnelDown(id, reason))
    }

    /// RFC 2661 5.8: retries exhausted, the tunnel and its sessions are cleared.
    private func peerUnreachable(now: L2TPInstant) {
        if case .closing = state {
            free()
            return
        }
        tearDownSessions(.tunnelDown(.peerUnreachable))
        core.emit(.tunnelDown(id, .peerUnreachable))
        free()
    }

    /// Silently discards the tunnel: its sessions and the tunnel go down and
    /// its state is freed, with nothing sent (a half-open tunnel evicted
    /// from a full table).
    func discard(reason: TunnelDownReason) {
        tearDownSessions(.tunnelDown(reason))
        core.emit(.tunnelDown(id, reason))
        free()
    }

    /// Silently discards the tunnel (the loser of a tie break, RFC 2661 4.4.3).
    /// Returns the sessions still waiting for a tunnel, for the winner to adopt.
    func discardForTieBreak(replacement: TunnelID?) -> [Session] {
        let waiting = sessions.values.filter { $0.state == .waitTunnel }
        for session in waiting {
            sessions[session.id] = nil
        }
        tearDownSessions(.tunnelDown(.lostTieBreaker(replacement: replacement)))
        core.emit(.tunnelDown(id, .lostTieBreaker(replacement: replacement)))
        free()
        return waiting
    }

    func tearDownSessions(_ reason: SessionDownReason) {
        let ids = sessions.keys.sorted()
        for sessionID in ids {
            retiredSessionIDs.insert(sessionID)
            core.emit(.sessionDown(id, sessionID, reason))
        }
        sessions.removeAll()
        sessionsByPeerID.removeAll()
        sessionDeadlines.removeAll()
    }

    private func free() {
        guard !isFreed else { return }
        transport.shutDown()
        sessions.removeAll()
        sessionsByPeerID.removeAll()
        sessionDeadlines.removeAll()
        isFreed = true
        core.emit(.tunnelFreed(id))
    }
}

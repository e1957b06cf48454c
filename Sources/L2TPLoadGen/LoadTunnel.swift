import L2TPControl
import L2TPWire
import NIOCore

/// A sans-IO LAC control connection that opens one tunnel and places
/// incoming calls in it (RFC 2661 7.2.1, 7.4.1), for load and admission
/// tests. It counts what the LNS did (tunnel and session up, StopCCN and
/// CDN result codes) rather than reacting like a production LAC.
///
/// Feed it datagrams and timeouts with the current time; send what it
/// returns to the peer. Reliable delivery (Ns/Nr, windows, retransmission)
/// is `L2TPControl`'s `ReliableTransport`.
public struct LoadTunnel {
    public enum Phase: Hashable, Sendable {
        /// SCCRQ sent, no SCCRP yet.
        case waitReply
        /// SCCCN sent, not yet acknowledged.
        case waitConnect
        case established
        /// Our StopCCN is on its way (RFC 2661 5.7).
        case closing
        /// StopCCN before the tunnel was up (RFC 2661 4.4.2 result code).
        case refused(result: UInt16)
        /// StopCCN from the peer after the tunnel was up.
        case closedByPeer(result: UInt16)
        /// Our StopCCN was acknowledged.
        case closed
        /// Retransmissions exhausted or a protocol error.
        case failed(String)
    }

    public let localTunnelID: UInt16
    public let configuration: LoadTunnelConfiguration
    public private(set) var peerTunnelID: UInt16 = 0
    public private(set) var phase: Phase = .waitReply
    public private(set) var calls: [LoadCall]
    /// Calls not yet requested, in order (one-at-a-time mode).
    private var nextCall = 0
    private var transport: ReliableTransport<ControlMessage, ControlMessage>
    private var protocolErrors: [String] = []

    /// - Parameter firstCallSerial: Call Serial Number of the first call; the
    ///   others follow (RFC 2661 4.4.4: unique per LAC).
    public init(localTunnelID: UInt16, configuration: LoadTunnelConfiguration, firstCallSerial: UInt32 = 1) {
        precondition(localTunnelID != 0, "RFC 2661 3.1: tunnel id 0 is reserved")
        precondition((0...Int(UInt16.max - 1)).contains(configuration.calls), "at most 65534 calls per tunnel")
        self.localTunnelID = localTunnelID
        self.configuration = configuration
        self.calls = (0..<configuration.calls).map {
            LoadCall(sessionID: UInt16($0 + 1), callSerialNumber: firstCallSerial &+ UInt32($0))
        }
        self.transport = ReliableTransport(configuration: configuration.transport)
    }

    // MARK: - Introspection

    public var nextDeadline: L2TPInstant? { isFinished ? nil : transport.nextDeadline }

    /// Refused, closed or failed: nothing more will happen.
    public var isFinished: Bool {
        switch phase {
        case .refused, .closedByPeer, .closed, .failed: true
        case .waitReply, .waitConnect, .established, .closing: false
        }
    }

    /// Every call has its answer and every message we sent was acknowledged
    /// (or the tunnel is gone): the run may hold, then close.
    public var isSettled: Bool {
        if isFinished { return true }
        return phase == .established && calls.allSatisfy(\.isResolved) && transport.isAllAcknowledged
    }

    /// This tunnel's share of the run's counts.
    public var tally: LoadTally {
        var t = LoadTally()
        switch phase {
        case .waitReply, .waitConnect: t.tunnelsUnresolved = 1
        case .established, .closing, .closed: t.tunnelsUp = 1
        case .refused(let result): t.tunnelsRefused[result] = 1
        case .closedByPeer(let result):
            t.tunnelsUp = 1
            t.tunnelsClosedByPeer[result] = 1
        case .failed: break
        }
        for call in calls {
            switch call.state {
            case .waiting, .requested: t.sessionsUnresolved += 1
            case .connected: t.sessionsEstablished += 1
            case .refused(let result): t.sessionsRefused[result, default: 0] += 1
            case .dropped(let result): t.sessionsDropped[result, default: 0] += 1
            }
        }
        for message in protocolErrors { t.recordError("tunnel \(localTunnelID): \(message)") }
        return t
    }

    // MARK: - Events

    /// The SCCRQ (RFC 2661 6.1).
    public mutating func start(now: L2TPInstant) -> [ByteBuffer] {
        let sccrq = ControlMessage(
            .sccrq, tunnelID: 0,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array(configuration.hostName.utf8)),
                .framingCapabilities([.synchronous, .asynchronous]), .bearerCapabilities([.digital, .analog]),
                .assignedTunnelID(localTunnelID), .receiveWindowSize(configuration.receiveWindow),
                .firmwareRevision(1), .vendorName(Array("openl2tp-swift l2tp-loadgen".utf8)),
            ])
        enqueue(sccrq, now: now)
        return transmissions()
    }

    /// One datagram from the peer.
    public mutating func receive(_ bytes: ByteBuffer, now: L2TPInstant) -> [ByteBuffer] {
        guard !isFinished else { return [] }
        let message: ControlMessage
        do {
            message = try ControlMessage.decode(bytes)
            try MessageSpec.validate(message, unexpected: .ignore)
        } catch {
            fail("malformed message from the peer: \(error)")
            return []
        }
        guard message.tunnelID == localTunnelID else {
            fail("message for tunnel \(message.tunnelID) on tunnel \(localTunnelID)")
            return []
        }
        let outcome = transport.receive(
            ns: SequenceNumber(message.ns), nr: SequenceNumber(message.nr), message: message.isZLB ? nil : message,
            now: now)
        if case .delivered(let messages) = outcome {
            for delivered in messages where !isFinished {
                handle(delivered, now: now)
                // Prompt acknowledgement: a ZLB goes out unless a reply carries the Nr.
                transport.acknowledgeNow()
            }
        }
        advance(now: now)
        return transmissions()
    }

    /// Retransmissions and acknowledgements due at `now`.
    public mutating func handleTimeout(now: L2TPInstant) -> [ByteBuffer] {
        guard !isFinished else { return [] }
        if transport.handleTimeout(now: now) == .peerUnreachable {
            let what = phase == .closing ? "StopCCN" : "message"
            fail("peer unreachable: \(transport.configuration.maxRetries) retransmissions of a \(what) unanswered")
            return []
        }
        return transmissions()
    }

    /// Closes an established tunnel with StopCCN, result 1 (RFC 2661 5.7).
    public mutating func close(now: L2TPInstant) -> [ByteBuffer] {
        switch phase {
        case .established, .waitConnect:
            _ = transport.discardQueued()
            let stop = ControlMessage(
                .stopCCN, tunnelID: peerTunnelID,
                avps: [.assignedTunnelID(localTunnelID), .resultCode(ResultCode(.generalRequest))])
            phase = .closing
            try? transport.enqueue(stop, priority: true, now: now)
            return transmissions()
        default:
            return []
        }
    }

    // MARK: - Messages from the peer

    private mutating func handle(_ message: ControlMessage, now: L2TPInstant) {
        guard let type = message.messageType else { return }
        switch type {
        case .sccrp: receivedSCCRP(message, now: now)
        case .stopCCN: receivedStopCCN(message)
        case .icrp: receivedICRP(message, now: now)
        case .cdn: receivedCDN(message)
        case .hello, .sli, .wen: break  // acknowledged; nothing to do
        default: fail("unexpected \(type) in phase \(phase)")
        }
    }

    private mutating func receivedSCCRP(_ message: ControlMessage, now: L2TPInstant) {
        guard phase == .waitReply else { return fail("SCCRP in phase \(phase)") }
        guard let peerTunnel = message.assignedTunnelID, peerTunnel != 0 else {
            return fail("SCCRP without a usable Assigned Tunnel ID")
        }
        guard message.challenge == nil else { return fail("SCCRP carries a Challenge: challenge auth unsupported") }
        peerTunnelID = peerTunnel
        if let window = message.receiveWindowSize, window > 0 { transport.setPeerWindow(window, now: now) }
        phase = .waitConnect
        enqueue(ControlMessage(.scccn, tunnelID: peerTunnelID, avps: []), now: now)
    }

    private mutating func receivedStopCCN(_ message: ControlMessage) {
        let result = message.resultCode?.result ?? 0
        // A refusal before the SCCRP still names the peer's tunnel: our ZLB goes there.
        if peerTunnelID == 0 { peerTunnelID = message.assignedTunnelID ?? 0 }
        switch phase {
        case .waitReply, .waitConnect: phase = .refused(result: result)
        case .closing: phase = .closed
        default: phase = .closedByPeer(result: result)
        }
    }

    private mutating func receivedICRP(_ message: ControlMessage, now: L2TPInstant) {
        guard let index = callIndex(message.sessionID), calls[index].state == .requested else {
            return fail("ICRP for session \(message.sessionID), which has no call waiting for one")
        }
        let peerSession = message.assignedSessionID ?? 0
        guard peerSession != 0 else { return fail("ICRP without a usable Assigned Session ID") }
        calls[index].state = .connected(peerSessionID: peerSession)
        let iccn = ControlMessage(
            .iccn, tunnelID: peerTunnelID, sessionID: peerSession,
            avps: [.txConnectSpeed(10_000_000), .framingType(.asynchronous)])
        enqueue(iccn, now: now)
    }

    private mutating func receivedCDN(_ message: ControlMessage) {
        let result = message.resultCode?.result ?? 0
        guard let index = callIndex(message.sessionID) else {
            return fail("CDN for unknown session \(message.sessionID)")
        }
        switch calls[index].state {
        case .requested: calls[index].state = .refused(result: result)
        case .connected: calls[index].state = .dropped(result: result)
        case .waiting, .refused, .dropped: fail("CDN for session \(message.sessionID) in state \(calls[index].state)")
        }
    }

    // MARK: - Progress

    /// Starts the calls once the SCCCN is acknowledged, then the next call
    /// whenever the previous one is answered (one-at-a-time mode).
    private mutating func advance(now: L2TPInstant) {
        if phase == .waitConnect, transport.isAllAcknowledged { phase = .established }
        if phase == .closing, transport.isAllAcknowledged { phase = .closed }
        guard phase == .established else { return }
        if configuration.pipeline {
            while nextCall < calls.count { requestNextCall(now: now) }
        } else if nextCall < calls.count, nextCall == 0 || calls[nextCall - 1].isResolved {
            requestNextCall(now: now)
        }
    }

    /// ICRQ (RFC 2661 6.6).
    private mutating func requestNextCall(now: L2TPInstant) {
        calls[nextCall].state = .requested
        let call = calls[nextCall]
        nextCall += 1
        let icrq = ControlMessage(
            .icrq, tunnelID: peerTunnelID,
            avps: [
                .assignedSessionID(call.sessionID), .callSerialNumber(call.callSerialNumber), .bearerType([.digital]),
            ])
        enqueue(icrq, now: now)
    }

    private func callIndex(_ sessionID: UInt16) -> Int? {
        let index = Int(sessionID) - 1
        return calls.indices.contains(index) ? index : nil
    }

    private mutating func enqueue(_ message: ControlMessage, now: L2TPInstant) {
        do {
            try transport.enqueue(message, now: now)
        } catch {
            fail("\(message.messageType.map(String.init(describing:)) ?? "ZLB") not queued: \(error)")
        }
    }

    private mutating func fail(_ reason: String) {
        protocolErrors.append(reason)
        phase = .failed(reason)
    }

    /// Encodes what the transport wants sent, each with its Ns/Nr; the SCCRQ
    /// goes to tunnel 0 (RFC 2661 3.1), everything else to the peer's tunnel.
    private mutating func transmissions() -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        for t in transport.takeTransmissions() {
            var message = t.message ?? .zlb(tunnelID: peerTunnelID, ns: 0, nr: 0)
            message.ns = t.ns.rawValue
            message.nr = t.nr.rawValue
            if message.messageType != .sccrq { message.tunnelID = peerTunnelID }
            do {
                out.append(try message.encoded())
            } catch {
                fail("cannot encode \(message.messageType.map(String.init(describing:)) ?? "ZLB"): \(error)")
            }
        }
        if isFinished { transport.shutDown() }
        return out
    }
}

import DequeModule

/// The reliable delivery layer of one control connection (RFC 2661 5.8).
///
/// Pure and generic over the messages it carries (`Message` outgoing,
/// `Incoming` received): it numbers messages (Ns),
/// acknowledges the peer's (Nr), retransmits with exponential backoff, keeps
/// within the peer's window with slow start (appendix A), queues out-of-order
/// arrivals inside our window and hands them up in order, and acks duplicates.
/// It never reads a clock; callers pass `now` and poll `nextDeadline`.
///
/// Output is collected in an outbox the owner drains with
/// `takeTransmissions()`; each transmission carries the Ns/Nr to put in the
/// header, so a retransmission always carries the current Nr.
public struct ReliableTransport<Message, Incoming> {
    /// One datagram to put on the wire.
    public struct Transmission {
        public var ns: SequenceNumber
        public var nr: SequenceNumber
        /// nil for a ZLB acknowledgement (RFC 2661 5.8: takes no Ns slot).
        public var message: Message?
        public var isRetransmission: Bool
    }

    /// What became of a received datagram.
    public enum ReceiveOutcome {
        /// Zero or more messages are now deliverable, in order.
        case delivered([Incoming])
        /// Already seen (Ns before the expected one): acked and dropped.
        case duplicate
        /// Ahead of the expected Ns, inside our window: held for later.
        case queued
        /// Ahead of our window: dropped (the peer ignored our window).
        case outsideWindow
        /// Nr acknowledges messages we never sent: dropped and answered with
        /// a ZLB carrying our real Nr.
        case invalidNr
    }

    /// Why `enqueue` refused a message.
    public enum EnqueueRefusal: Error, Hashable, Sendable {
        /// `maxQueuedMessages` messages already wait for the peer's window.
        case queueFull(limit: Int)
    }

    private struct InFlight {
        var ns: SequenceNumber
        var message: Message
    }

    public private(set) var configuration: TransportConfiguration

    /// Ns of the next new message.
    public private(set) var nextSendNs = SequenceNumber(0)
    /// Our Nr: the Ns we expect next from the peer.
    public private(set) var expectedNs = SequenceNumber(0)

    /// Sent and not yet acknowledged, oldest first.
    private var unacked: Deque<InFlight> = []
    /// How many of `unacked` count as in flight. After a timeout only the
    /// oldest is resent and the rest are resent as the window reopens
    /// (go-back-N with cumulative acks).
    private var inFlightCount = 0
    /// Waiting for the window to open.
    private var pending: Deque<Message> = []
    /// Out-of-order arrivals inside our window, by Ns.
    private var reorderBuffer: [UInt16: Incoming] = [:]

    private var congestion: CongestionWindow
    private var retransmitDeadline: L2TPInstant?
    /// False while retransmission is left to the peer: what we sent is
    /// resent only when the peer repeats itself (`retransmitOnDuplicate`),
    /// never on a timer. A responder that has only heard one SCCRQ uses it,
    /// so a flood from forged sources is never answered with more
    /// datagrams than it sent (no reflection amplification).
    public var retransmitsOnTimer = true {
        didSet { if !retransmitsOnTimer { retransmitDeadline = nil } }
    }
    private var currentRetryInterval: L2TPDuration
    /// Consecutive timeouts without progress.
    public private(set) var retries = 0
    private var ackDeadline: L2TPInstant?
    private var ackNow = false
    /// ZLBs that acknowledged nothing new while messages were outstanding.
    private var duplicateAcks = 0
    private var fastRetransmitDone = false
    private var outbox: [Transmission] = []

    /// Counters for `tunnel show`.
    public private(set) var retransmissionCount: UInt64 = 0
    public private(set) var zlbSentCount: UInt64 = 0
    public private(set) var duplicateCount: UInt64 = 0
    public private(set) var outOfOrderCount: UInt64 = 0

    /// - Parameter peerWindow: RFC 2661 4.4.3: assume 4 until the peer says.
    /// - Parameter expectedNs: the Ns of the peer's first message (0 per RFC
    ///   2661 5.8; a responder takes it from the SCCRQ it answers).
    public init(
        configuration: TransportConfiguration, peerWindow: UInt16 = 4, expectedNs: SequenceNumber = SequenceNumber(0)
    ) {
        self.configuration = configuration
        self.expectedNs = expectedNs
        self.congestion = CongestionWindow(peerWindow: Int(peerWindow))
        self.currentRetryInterval = configuration.retryTimeout
    }

    // MARK: - Introspection

    /// When `handleTimeout` next has work to do.
    public var nextDeadline: L2TPInstant? {
        switch (retransmitDeadline, ackDeadline) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }

    /// Nothing to send, nothing unacknowledged, no acknowledgement owed.
    public var isQuiescent: Bool {
        unacked.isEmpty && pending.isEmpty && ackDeadline == nil && !ackNow
    }

    /// Every message we sent has been acknowledged and nothing waits.
    public var isAllAcknowledged: Bool { unacked.isEmpty && pending.isEmpty }

    public var unacknowledgedCount: Int { unacked.count }
    public var queuedCount: Int { pending.count }
    public var reorderedCount: Int { reorderBuffer.count }
    public var congestionWindow: Int { congestion.size }
    public var peerWindow: Int { congestion.peerWindow }
    public var slowStartThreshold: Int { congestion.slowStartThreshold }

    /// Applies new tunables (a responder learns them only after admitting
    /// the SCCRQ it already received).
    public mutating func reconfigure(_ configuration: TransportConfiguration) {
        self.configuration = configuration
        if retries == 0 { currentRetryInterval = configuration.retryTimeout }
    }

    // MARK: - Sending

    /// The peer advertised its receive window (SCCRQ/SCCRP, RFC 2661 5.8).
    public mutating func setPeerWindow(_ window: UInt16, now: L2TPInstant) {
        congestion.setPeerWindow(Int(window))
        fillWindow(now: now)
    }

    /// Queues a message. Priority messages (Hello, StopCCN) go ahead of every
    /// queued message and are never refused.
    public mutating func enqueue(_ message: Message, priority: Bool = false, now: L2TPInstant)
        throws(EnqueueRefusal)
    {
        if priority {
            pending.prepend(message)
        } else {
            guard pending.count < configuration.maxQueuedMessages else {
                throw .queueFull(limit: configuration.maxQueuedMessages)
            }
            pending.append(message)
        }
        fillWindow(now: now)
    }

    /// Drops everything not yet sent (used when a StopCCN supersedes queued
    /// session traffic). Messages already in flight stay, to keep Ns sane.
    public mutating func discardQueued() -> [Message] {
        let dropped = Array(pending)
        pending.removeAll()
        return dropped
    }

    /// Forces a ZLB now (e.g. to answer a message with a wrong Nr).
    public mutating func acknowledgeNow() { ackNow = true }

    /// Hands over the datagrams produced so far. Emits a pending immediate
    /// ZLB first if nothing else carries the acknowledgement.
    public mutating func takeTransmissions() -> [Transmission] {
        if ackNow {
            ackNow = false
            if outbox.isEmpty {
                outbox.append(Transmission(ns: nextSendNs, nr: expectedNs, message: nil, isRetransmission: false))
                zlbSentCount += 1
            }
            ackDeadline = nil
        }
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    private var sendLimit: Int { min(congestion.size, congestion.peerWindow) }

    /// Sends what the window allows: first messages to resend after a
    /// timeout, then new ones.
    private mutating func fillWindow(now: L2TPInstant) {
        while inFlightCount < sendLimit {
            if inFlightCount < unacked.count {
                let entry = unacked[inFlightCount]
                transmit(entry.ns, entry.message, retransmission: true, now: now)
                retransmissionCount += 1
                inFlightCount += 1
            } else if let message = pending.popFirst() {
                let ns = nextSendNs
                nextSendNs = ns.next
                unacked.append(InFlight(ns: ns, message: message))
                inFlightCount += 1
                transmit(ns, message, retransmission: false, now: now)
            } else {
                break
            }
        }
    }

    private mutating func transmit(_ ns: SequenceNumber, _ message: Message, retransmission: Bool, now: L2TPInstant) {
        outbox.append(Transmission(ns: ns, nr: expectedNs, message: message, isRetransmission: retransmission))
        // Every message carries Nr, so no separate acknowledgement is owed.
        ackDeadline = nil
        ackNow = false
        if retransmitDeadline == nil, retransmitsOnTimer {
            retransmitDeadline = now + currentRetryInterval
        }
    }

    /// The peer repeated a message we already acknowledged, so it has not
    /// heard our answer: resend the oldest unacknowledged message (it
    /// carries the acknowledgement). Returns false when nothing is unacknowledged.
    @discardableResult
    public mutating func retransmitOnDuplicate(now: L2TPInstant) -> Bool {
        guard let head = unacked.first else { return false }
        transmit(head.ns, head.message, retransmission: true, now: now)
        retransmissionCount += 1
        return true
    }

    // MARK: - Receiving

    /// Processes the Ns/Nr of a received control datagram; `message` is nil
    /// for a ZLB. The caller handles delivered messages, then drains
    /// `takeTransmissions()` so replies can carry the acknowledgement.
    public mutating func receive(ns: SequenceNumber, nr: SequenceNumber, message: Incoming?, now: L2TPInstant)
        -> ReceiveOutcome
    {
        // Nr may acknowledge anything from the oldest unacked up to what we sent.
        let oldest = unacked.first?.ns ?? nextSendNs
        let acked = Int(nr.distance(from: oldest))
        if acked > unacked.count {
            if nr.isBefore(oldest) {
                // A stale acknowledgement (reordered datagram): nothing to learn.
            } else {
                ackNow = true
                return .invalidNr
            }
        } else if acked == 0, message == nil, !unacked.isEmpty {
            noteDuplicateAck(now: now)
        } else if acked > 0 {
            duplicateAcks = 0
            fastRetransmitDone = false
            unacked.removeFirst(acked)
            inFlightCount = max(inFlightCount - acked, 0)
            congestion.acknowledged()
            retries = 0
            currentRetryInterval = configuration.retryTimeout
            retransmitDeadline = unacked.isEmpty || !retransmitsOnTimer ? nil : now + currentRetryInterval
            fillWindow(now: now)
        }

        guard let message else { return .delivered([]) }

        if ns == expectedNs {
            var delivered = [message]
            expectedNs = expectedNs.next
            while let next = reorderBuffer.removeValue(forKey: expectedNs.rawValue) {
                delivered.append(next)
                expectedNs = expectedNs.next
            }
            scheduleAck(now: now)
            return .delivered(delivered)
        }
        if ns.isBefore(expectedNs) {
            // RFC 2661 5.8: duplicates MUST be acknowledged (the ZLB may have been lost).
            duplicateCount += 1
            ackNow = true
            return .duplicate
        }
        if ns.distance(from: expectedNs) < max(configuration.receiveWindow, 1) {
            outOfOrderCount += 1
            if reorderBuffer[ns.rawValue] == nil { reorderBuffer[ns.rawValue] = message }
            // Acknowledge at once: the repeated Nr tells the peer a message
            // is missing (see `noteDuplicateAck`).
            ackNow = true
            return .queued
        }
        ackNow = true
        return .outsideWindow
    }

    /// Fast retransmit: the peer acks with an unchanged Nr only when it got
    /// something out of order or twice, so after `fastRetransmitThreshold`
    /// such ZLBs the oldest message is resent without waiting for the timer.
    /// RFC 2661 5.8 only asks for timer-driven retransmission; this is the
    /// TCP refinement its appendix A builds on, and it treats the resend as
    /// congestion exactly like a timeout (appendix A). Without it a lossy
    /// link stalls a full `retryTimeout` per lost message.
    private mutating func noteDuplicateAck(now: L2TPInstant) {
        duplicateAcks += 1
        guard configuration.fastRetransmitThreshold > 0, duplicateAcks >= configuration.fastRetransmitThreshold,
            !fastRetransmitDone, let head = unacked.first
        else { return }
        fastRetransmitDone = true
        congestion.congestionDetected()
        transmit(head.ns, head.message, retransmission: true, now: now)
        retransmissionCount += 1
    }

    private mutating func scheduleAck(now: L2TPInstant) {
        if ackDeadline == nil { ackDeadline = now + configuration.ackDelay }
    }

    // MARK: - Timers

    /// What a timeout did.
    public enum TimeoutOutcome: Hashable, Sendable {
        case none
        /// The oldest message was resent.
        case retransmitted
        /// `maxRetries` retransmissions went unanswered: the peer is gone
        /// and the tunnel MUST be cleared (RFC 2661 5.8).
        case peerUnreachable
    }

    public mutating func handleTimeout(now: L2TPInstant) -> TimeoutOutcome {
        var outcome = TimeoutOutcome.none
        if let deadline = retransmitDeadline, deadline <= now, !unacked.isEmpty {
            if retries >= configuration.maxRetries {
                retransmitDeadline = nil
                return .peerUnreachable
            }
            retries += 1
            duplicateAcks = 0
            fastRetransmitDone = false
            congestion.congestionDetected()
            currentRetryInterval = currentRetryInterval.doubled(cappedAt: configuration.retryTimeoutCap)
            retransmitDeadline = now + currentRetryInterval
            // Resend the oldest; the others follow as acks reopen the window.
            inFlightCount = 0
            fillWindow(now: now)
            outcome = .retransmitted
        } else if unacked.isEmpty {
            retransmitDeadline = nil
        }
        if let deadline = ackDeadline, deadline <= now {
            ackDeadline = nil
            ackNow = true
        }
        return outcome
    }

    /// Stops all timers and forgets queued work: the connection is gone.
    public mutating func shutDown() {
        unacked.removeAll()
        pending.removeAll()
        reorderBuffer.removeAll()
        inFlightCount = 0
        retransmitDeadline = nil
        ackDeadline = nil
        ackNow = false
    }
}

import L2TPControl

/// How one load-generating LAC tunnel behaves.
public struct LoadTunnelConfiguration: Sendable {
    /// Host Name AVP of our SCCRQ (RFC 2661 4.4.3).
    public var hostName = "l2tp-loadgen"
    /// Incoming calls to place in the tunnel once it is up.
    public var calls = 1
    /// Send every ICRQ before any ICCN (the ICRQs are queued at once; the
    /// reliable transport sends them as the peer's window allows, and each
    /// ICCN queues behind them). Otherwise one call at a time: the next
    /// ICRQ only after the previous call was connected or refused.
    public var pipeline = false
    /// The Receive Window Size we advertise (RFC 2661 4.4.3, 5.8).
    public var receiveWindow: UInt16 = 64

    public init() {}

    /// The reliable transport's tunables: RFC 2661 5.8 timers, room to queue
    /// every pipelined ICRQ, and no fast retransmit (a daemon that answers
    /// late must see the RFC's plain timer behaviour).
    var transport: TransportConfiguration {
        var t = TransportConfiguration()
        t.receiveWindow = receiveWindow
        t.maxQueuedMessages = max(calls * 2 + 16, t.maxQueuedMessages)
        t.fastRetransmitThreshold = 0
        return t
    }
}

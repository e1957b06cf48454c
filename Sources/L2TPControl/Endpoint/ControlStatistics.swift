import L2TPWire

/// Per message type counters, as `system show statistics` prints them.
public struct MessageCounters: Hashable, Sendable {
    public var rxGood: UInt64 = 0
    public var rxBad: UInt64 = 0
    public var tx: UInt64 = 0
    public init() {}
}

/// Control-channel statistics of the whole endpoint.
public struct ControlStatistics: Hashable, Sendable {
    /// Indexed by message type.
    public var messages: [MessageType: MessageCounters] = [:]
    public var zlbRx: UInt64 = 0
    public var zlbTx: UInt64 = 0
    /// Datagrams dropped before reaching a tunnel (bad header, unknown tunnel).
    public var discarded: UInt64 = 0
    public var retransmissions: UInt64 = 0
    public var tunnelsCreated: UInt64 = 0
    public var sessionsCreated: UInt64 = 0
    /// Control messages for a known tunnel from another address or port than
    /// its peer's, dropped (anyone can forge a StopCCN to a guessed id).
    public var foreignSourceDropped: UInt64 = 0
    /// Half-open tunnels discarded because the half-open table was full.
    public var halfOpenEvicted: UInt64 = 0

    public init() {}

    public subscript(_ type: MessageType) -> MessageCounters {
        get { messages[type] ?? MessageCounters() }
        set { messages[type] = newValue }
    }
}

/// Counters of one tunnel (`tunnel show`).
public struct TunnelStatistics: Hashable, Sendable {
    public var messagesSent: UInt64 = 0
    public var messagesReceived: UInt64 = 0
    public var retransmissions: UInt64 = 0
    public var zlbSent: UInt64 = 0
    public var zlbReceived: UInt64 = 0
    public var duplicatesReceived: UInt64 = 0
    public var outOfOrderReceived: UInt64 = 0
    public var badMessagesReceived: UInt64 = 0
    public var helloSent: UInt64 = 0
    public init() {}
}

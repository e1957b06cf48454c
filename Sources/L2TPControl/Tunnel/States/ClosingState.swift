import L2TPWire

/// After StopCCN (sent or received): the connection only acknowledges,
/// for a full retransmission cycle (RFC 2661 5.7, 5.8), then is freed.
struct ClosingState {
    var reason: TunnelDownReason
    var freeAt: L2TPInstant
}

extension ControlConnection {
    func closingReceived(_ type: MessageType, _ message: ControlMessage, now: L2TPInstant) {
        guard type == .stopCCN, case .closing(var closing) = state else { return }
        // Both sides closed at once: acknowledge theirs and keep lingering.
        transport.acknowledgeNow()
        closing.freeAt = max(closing.freeAt, now + parameters.transport.fullRetransmissionCycle)
        state = .closing(closing)
    }
}

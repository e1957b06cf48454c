import L2TPWire

/// RFC 2661 7.2.1, established: sessions may be placed; Hello keeps the
/// connection alive (5.5).
extension ControlConnection {
    func becomeEstablished(now: L2TPInstant) {
        state = .established
        wasEstablished = true
        transport.retransmitsOnTimer = true
        establishDeadline = nil
        lastHelloSent = now
        let info = peerInfo
        core.emit(
            .tunnelUp(
                TunnelInfo(
                    tunnelID: id, peerTunnelID: peerTunnelID, peer: peer, isInitiator: isInitiator,
                    peerHostName: info?.hostName ?? "", peerVendorName: info?.vendorName,
                    peerFirmwareRevision: info?.firmwareRevision,
                    peerFramingCapabilities: info?.framingCapabilities ?? [],
                    peerBearerCapabilities: info?.bearerCapabilities ?? [],
                    peerProtocolVersion: info?.protocolVersion ?? .rfc2661,
                    peerReceiveWindow: info?.receiveWindow ?? 4)))
        // "Send tunnel-open event to waiting sessions" (RFC 2661 7.2.1).
        let waiting = sessions.values.filter { $0.state == .waitTunnel }.sorted { $0.id < $1.id }
        for session in waiting {
            tunnelOpened(for: session, now: now)
        }
    }

    /// RFC 2661 5.5: Hello after `helloTimeout` without hearing from the peer.
    var helloDeadline: L2TPInstant? {
        guard let timeout = parameters.helloTimeout else { return nil }
        return max(lastReceived, lastHelloSent) + timeout
    }

    func establishedTimeout(now: L2TPInstant) {
        guard let deadline = helloDeadline, deadline <= now else { return }
        lastHelloSent = now
        // Ahead of queued session traffic, so liveness is probed at once.
        if send(.hello, [], priority: true, now: now) {
            statistics.helloSent += 1
        }
    }
}

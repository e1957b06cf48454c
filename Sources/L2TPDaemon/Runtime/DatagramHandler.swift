import NIOCore

/// Feeds datagrams from one UDP channel (the listener, tunnel 0, or a
/// tunnel's own socket) into the daemon. Runs on the event loop.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private unowned let runtime: DaemonRuntime
    private let tunnelID: UInt16?

    init(runtime: DaemonRuntime, tunnelID: UInt16?) {
        self.runtime = runtime
        self.tunnelID = tunnelID
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let peer = IPv4SocketAddress(envelope.remoteAddress) else { return }
        runtime.datagramReceived(envelope.data, from: peer, onTunnel: tunnelID)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP port unreachable and the like surface here on connected sockets;
        // the control layer's retransmission handles the peer being away.
        runtime.socketError(error, tunnelID: tunnelID)
    }
}

extension IPv4SocketAddress {
    init?(_ address: SocketAddress) {
        guard case .v4(let v4) = address else { return nil }
        self.init(address: UInt32(bigEndian: v4.address.sin_addr.s_addr), port: UInt16(address.port ?? 0))
    }

    var socketAddress: SocketAddress {
        SocketAddress(sockaddr)
    }
}

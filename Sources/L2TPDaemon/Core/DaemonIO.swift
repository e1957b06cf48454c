import NIOCore

/// What the daemon core needs from the I/O edge. The NIO runtime implements
/// it; unit tests record the calls. All calls happen on the event loop.
public protocol DaemonIO: AnyObject {
    /// Hands a bound tunnel socket to the event loop; datagrams arriving on it
    /// come back through `Daemon.receive`. `connectTo` connects it at once
    /// (incoming tunnels, whose peer port is known).
    func attachTunnelSocket(_ socket: UDPSocket, tunnelID: UInt16, connectTo peer: IPv4SocketAddress?)
        throws(DaemonError)
    /// Connects a tunnel's socket to the peer's actual address (RFC 2661 8.1).
    func connectTunnelSocket(tunnelID: UInt16, to peer: IPv4SocketAddress)
    func closeTunnelSocket(tunnelID: UInt16)
    /// The tunnel socket's fd, for the kernel data path's TUNNEL_CREATE.
    func socketDescriptor(tunnelID: UInt16) -> Int32?
    /// Sends from the tunnel's socket, or from the listener for tunnel 0 or a tunnel without one.
    func send(_ datagram: ByteBuffer, to peer: IPv4SocketAddress, tunnelID: UInt16)
    /// The daemon's next deadline changed (monotonic nanoseconds), nil for none.
    func scheduleWakeup(at deadline: UInt64?)
    /// Many tunnels and sessions went away (a flood's half-open tunnels aged
    /// out): hand the freed heap back to the system.
    func returnFreedMemory()
}

extension DaemonIO {
    public func returnFreedMemory() {}
}

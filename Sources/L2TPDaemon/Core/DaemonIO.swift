import NIOCore

/// What the daemon core needs from the I/O edge. The NIO runtime implements
/// it; unit tests record the calls. All calls happen on the event loop.
public protocol DaemonIO: AnyObject {
    /// Binds a UDP socket for a tunnel (not serving it yet: a busy port is
    /// reported before the tunnel exists).
    func bindTunnelSocket(_ local: IPv4SocketAddress) throws(DaemonError) -> UDPSocket
    /// Closes a socket that was bound but never attached.
    func discardSocket(_ socket: UDPSocket)
    /// The address a socket bound at `local` shows `peer`: for a wildcard
    /// bind, the source address routing picks toward the peer.
    func visibleAddress(_ local: IPv4SocketAddress, toward peer: IPv4SocketAddress) -> IPv4SocketAddress
    /// The tunnel socket's local address as the kernel has it now
    /// (getsockname), or nil when the tunnel has no socket of its own.
    func boundAddress(tunnelID: UInt16) -> IPv4SocketAddress?
    /// Seconds since the epoch, for the records' creation times.
    func wallClock() -> Int
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

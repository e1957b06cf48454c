import Testing
@testable import L2TPDaemon

@Suite struct SocketTests {
    @Test func ephemeralSocketIsCloseOnExec() throws {
        let socket = try UDPSocket.bind(IPv4SocketAddress(address: 0x7F00_0001, port: 0))
        defer { socket.close() }
        #expect(socket.isCloseOnExec)
        #expect(socket.localAddress.port != 0)
    }

    @Test func twoTunnelSocketsMayShareAPort() throws {
        // SO_REUSEADDR: a tunnel with our_udp_port=1701 shares the listener's port.
        let first = try UDPSocket.bind(IPv4SocketAddress(address: 0x7F00_0001, port: 0))
        defer { first.close() }
        let second = try UDPSocket.bind(first.localAddress)
        defer { second.close() }
        #expect(second.localAddress == first.localAddress)
    }

    @Test func portLockIsExclusive() throws {
        let lock = try PortLock.acquire(port: 64999)
        defer { lock.release() }
        #expect(throws: DaemonError.portInUse(64999)) { try PortLock.acquire(port: 64999) }
        #expect(
            DaemonError.portInUse(1701).message
                == "UDP port 1701 is already in use by another process (is openl2tpd already running?)")
    }

    @Test func addressConversions() {
        let address = IPv4SocketAddress("10.1.2.3", port: 1701)
        #expect(address?.octets == [10, 1, 2, 3])
        #expect(address?.description == "10.1.2.3:1701")
        #expect(IPv4SocketAddress("10.1.2", port: 1) == nil)
        #expect(IPv4SocketAddress(octets: [10, 1, 2, 3], port: 1701) == address)
    }
}

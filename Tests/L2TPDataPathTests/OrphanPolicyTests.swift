import Testing
@testable import L2TPDataPath

@Suite struct OrphanPolicyTests {
    func tunnel(
        _ id: UInt32, port: UInt16, address: [UInt8] = [10, 0, 0, 1], version: UInt8 = 2,
        encapsulation: KernelTunnelInfo.Encapsulation = .udp, udp: Bool = true
    ) -> KernelTunnelInfo {
        KernelTunnelInfo(
            tunnelID: id, peerTunnelID: 9, protocolVersion: version, encapsulation: encapsulation,
            localEndpoint: udp ? .init(address: address, port: port) : nil,
            peerEndpoint: udp ? .init(address: [10, 0, 0, 2], port: 1701) : nil)
    }

    @Test func matchesOurPortOnly() {
        let policy = OrphanPolicy(localPort: 1701)
        #expect(policy.matches(tunnel(1, port: 1701)))
        #expect(!policy.matches(tunnel(2, port: 1702)))
    }

    @Test func keepsLiveTunnels() {
        let policy = OrphanPolicy(localPort: 1701, keepTunnelIDs: [1])
        #expect(!policy.matches(tunnel(1, port: 1701)))
        #expect(policy.matches(tunnel(3, port: 1701)))
    }

    @Test func neverTouchesOtherProtocolsOrSocketlessTunnels() {
        let policy = OrphanPolicy(localPort: 1701)
        #expect(!policy.matches(tunnel(1, port: 1701, version: 3)))
        #expect(!policy.matches(tunnel(1, port: 1701, encapsulation: .ip)))
        #expect(!policy.matches(tunnel(1, port: 1701, udp: false)))
    }

    @Test func boundAddressNarrowsTheMatch() {
        let policy = OrphanPolicy(localPort: 1701, localAddress: [10, 0, 0, 1])
        #expect(policy.matches(tunnel(1, port: 1701, address: [10, 0, 0, 1])))
        #expect(!policy.matches(tunnel(2, port: 1701, address: [10, 0, 0, 7])))
        let any = OrphanPolicy(localPort: 1701, localAddress: [0, 0, 0, 0])
        #expect(any.matches(tunnel(2, port: 1701, address: [10, 0, 0, 7])))
    }
}

import Testing

@testable import L2TPConfig

@Suite struct PeerProfileSelectionTests {
    func address(_ text: String) -> IPv4Address { IPv4Address(dotted: text)! }

    func store() throws -> ProfileStore {
        var store = ProfileStore()
        func peer(_ name: String, _ ip: String, _ mask: String) throws {
            try store.create(
                .peer, name: name,
                values: [.peerIPAddress: .ipv4(address(ip)), .netmask: .netmask(Netmask(text: mask)!)])
        }
        try peer("wide", "10.0.0.0", "255.0.0.0")
        try peer("narrow", "10.1.2.0", "255.255.255.0")
        try peer("middle", "10.1.0.0", "255.255.0.0")
        try peer("host", "10.1.2.3", "255.255.255.255")
        try peer("lns.example.net", "192.0.2.99", "255.255.255.255")
        try peer("exact-in-net", "172.16.0.5", "255.255.0.0")
        try peer("net-16", "172.16.0.0", "255.255.0.0")
        try peer("net-24", "172.16.0.0", "255.255.255.0")
        return store
    }

    @Test func hostNameWins() throws {
        let s = try store()
        #expect(
            s.selectPeerProfile(hostName: "lns.example.net", address: address("10.1.2.3")).name == "lns.example.net")
    }

    @Test func unknownHostNameFallsBackToAddress() throws {
        #expect(try store().selectPeerProfile(hostName: "somebody", address: address("10.1.2.3")).name == "host")
    }

    @Test func exactAddressBeatsLongerNetworkMask() throws {
        // exact-in-net is a /16 but its address equals the peer's; net-24 has a longer mask.
        #expect(try store().selectPeerProfile(hostName: nil, address: address("172.16.0.5")).name == "exact-in-net")
    }

    @Test func longestMatchingMask() throws {
        let s = try store()
        #expect(s.selectPeerProfile(hostName: nil, address: address("10.1.2.77")).name == "narrow")
        #expect(s.selectPeerProfile(hostName: nil, address: address("10.1.9.9")).name == "middle")
        #expect(s.selectPeerProfile(hostName: nil, address: address("10.200.0.1")).name == "wide")
        #expect(s.selectPeerProfile(hostName: nil, address: address("172.16.0.9")).name == "net-24")
        #expect(s.selectPeerProfile(hostName: nil, address: address("172.16.7.9")).name == "exact-in-net")
    }

    @Test func defaultWhenNothingMatches() throws {
        #expect(try store().selectPeerProfile(hostName: nil, address: address("198.51.100.1")).name == "default")
        #expect(ProfileStore().selectPeerProfile(hostName: nil, address: address("198.51.100.1")).name == "default")
    }

    @Test func profilesWithoutAddressMatchByNameOnly() throws {
        var s = ProfileStore()
        try s.create(.peer, name: "peer1")
        #expect(s.selectPeerProfile(hostName: nil, address: address("0.0.0.0")).name == "default")
        #expect(s.selectPeerProfile(hostName: "peer1", address: address("0.0.0.0")).name == "peer1")
    }

    @Test func tiesGoToFirstNameAlphabetically() throws {
        var s = ProfileStore()
        for name in ["zeta", "alpha"] {
            try s.create(
                .peer, name: name,
                values: [.peerIPAddress: .ipv4(address("192.0.2.0")), .netmask: .netmask(Netmask(prefixLength: 24)!)])
        }
        #expect(s.selectPeerProfile(hostName: nil, address: address("192.0.2.7")).name == "alpha")
    }
}

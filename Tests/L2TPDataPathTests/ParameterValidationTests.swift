import Testing
@testable import L2TPDataPath

/// TunnelBinding, SessionParameters and OrphanPolicy validation (RFC 2661 3.1: id 0 is reserved).
@Suite struct ParameterValidationTests {
    @Test(arguments: [
        (TunnelBinding(localTunnelID: 0, peerTunnelID: 1, udpSocket: 3), "localTunnelID"),
        (TunnelBinding(localTunnelID: 1, peerTunnelID: 0, udpSocket: 3), "peerTunnelID"),
        (TunnelBinding(localTunnelID: 1, peerTunnelID: 1, udpSocket: -1), "udpSocket"),
    ])
    func badTunnelBindingNamesTheField(binding: TunnelBinding, field: String) {
        #expect {
            try binding.validate()
        } throws: { error in
            (error as? DataPlaneError)?.description.hasPrefix("invalid \(field):") == true
        }
    }

    @Test func goodTunnelBindingPasses() throws {
        try TunnelBinding(localTunnelID: 1, peerTunnelID: 65535, udpSocket: 0).validate()
    }

    @Test(arguments: ["localTunnelID", "peerTunnelID", "localSessionID", "peerSessionID"])
    func zeroSessionIdIsRejected(field: String) {
        var p = SessionParameters(localTunnelID: 1, peerTunnelID: 2, localSessionID: 3, peerSessionID: 4)
        switch field {
        case "localTunnelID": p.localTunnelID = 0
        case "peerTunnelID": p.peerTunnelID = 0
        case "localSessionID": p.localSessionID = 0
        default: p.peerSessionID = 0
        }
        #expect(throws: DataPlaneError.invalidArgument(field, "0 is reserved (RFC 2661 3.1)")) {
            try p.validate()
        }
    }

    @Test func orphanPolicyNeedsAPortAndAnIPv4Address() {
        #expect(throws: DataPlaneError.self) { try OrphanPolicy(localPort: 0).validate() }
        #expect(throws: DataPlaneError.self) { try OrphanPolicy(localAddress: [127, 0, 0]).validate() }
    }

    @Test func sessionChangesEmptiness() {
        #expect(SessionChanges().isEmpty)
        #expect(!SessionChanges(reorderTimeoutMilliseconds: 0).isEmpty)
    }
}

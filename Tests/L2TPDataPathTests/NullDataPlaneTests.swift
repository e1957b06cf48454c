import Testing
@testable import L2TPDataPath

@Suite struct NullDataPlaneTests {
    let binding = TunnelBinding(localTunnelID: 10, peerTunnelID: 20, udpSocket: 5)
    let session = SessionParameters(localTunnelID: 10, peerTunnelID: 20, localSessionID: 100, peerSessionID: 200)

    @Test func recordsCallsInOrder() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        let handle = try plane.sessionUp(session)
        try plane.sessionModify(localTunnelID: 10, localSessionID: 100, SessionChanges(sendSequenceNumbers: true))
        try plane.sessionDown(handle)
        try plane.tunnelDown(localTunnelID: 10)
        #expect(
            plane.calls == [
                .tunnelUp(binding),
                .sessionUp(session),
                .sessionModify(localTunnelID: 10, localSessionID: 100, SessionChanges(sendSequenceNumbers: true)),
                .sessionDown(localTunnelID: 10, localSessionID: 100),
                .tunnelDown(localTunnelID: 10),
            ])
        #expect(plane.tunnelIDs.isEmpty)
    }

    @Test func sessionHandleCarriesIdsAndNoSocket() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        let handle = try plane.sessionUp(session)
        #expect(handle.pppSocket == -1)
        #expect(handle.origin == .none)
        #expect(handle.localSessionID == 100 && handle.peerSessionID == 200)
        #expect(handle.localTunnelID == 10 && handle.peerTunnelID == 20)
    }

    @Test func sessionInUnknownTunnelIsRejected() {
        let plane = NullDataPlane()
        #expect(throws: DataPlaneError.unknownTunnel(10)) { _ = try plane.sessionUp(session) }
    }

    @Test func duplicatesAreRejected() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        #expect(throws: DataPlaneError.duplicateTunnel(10)) { try plane.tunnelUp(binding) }
        _ = try plane.sessionUp(session)
        #expect(throws: DataPlaneError.duplicateSession(tunnel: 10, session: 100)) {
            _ = try plane.sessionUp(session)
        }
    }

    @Test func modifyAppliesOnlyGivenFields() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        var initial = session
        initial.reorderTimeoutMilliseconds = 50
        _ = try plane.sessionUp(initial)
        try plane.sessionModify(
            localTunnelID: 10, localSessionID: 100,
            SessionChanges(requireSequenceNumbers: true, lnsMode: true))
        let now = try #require(plane.session(localTunnelID: 10, localSessionID: 100))
        #expect(now.requireSequenceNumbers && now.lnsMode)
        #expect(!now.sendSequenceNumbers)
        #expect(now.reorderTimeoutMilliseconds == 50)
    }

    @Test func modifyOfUnknownSessionFails() {
        let plane = NullDataPlane()
        #expect(throws: DataPlaneError.unknownSession(tunnel: 1, session: 2)) {
            try plane.sessionModify(localTunnelID: 1, localSessionID: 2, SessionChanges(lnsMode: true))
        }
    }

    @Test func tunnelDownTakesItsSessions() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        _ = try plane.sessionUp(session)
        try plane.tunnelDown(localTunnelID: 10)
        #expect(plane.session(localTunnelID: 10, localSessionID: 100) == nil)
        #expect(throws: DataPlaneError.unknownSession(tunnel: 10, session: 100)) {
            _ = try plane.sessionStatistics(localTunnelID: 10, localSessionID: 100)
        }
    }

    @Test func downIsIdempotent() throws {
        let plane = NullDataPlane()
        try plane.tunnelDown(localTunnelID: 77)
        try plane.sessionDown(
            SessionHandle(
                localTunnelID: 77, peerTunnelID: 1, localSessionID: 1,
                peerSessionID: 1, pppSocket: -1, origin: .none))
        #expect(plane.calls.count == 2)
    }

    @Test func statisticsAreZeroForKnownObjects() throws {
        let plane = NullDataPlane()
        try plane.tunnelUp(binding)
        _ = try plane.sessionUp(session)
        #expect(try plane.tunnelStatistics(localTunnelID: 10) == .zero)
        #expect(try plane.sessionStatistics(localTunnelID: 10, localSessionID: 100) == .zero)
        #expect(throws: DataPlaneError.unknownTunnel(11)) { _ = try plane.tunnelStatistics(localTunnelID: 11) }
    }

    @Test func invalidArgumentsAreRecordedAndRejected() {
        let plane = NullDataPlane()
        let bad = TunnelBinding(localTunnelID: 0, peerTunnelID: 20, udpSocket: 5)
        #expect(throws: DataPlaneError.self) { try plane.tunnelUp(bad) }
        #expect(plane.calls == [.tunnelUp(bad)])
        #expect(plane.tunnelIDs.isEmpty)
    }

    @Test func orphanCleanupFindsNothingButValidates() throws {
        let plane = NullDataPlane()
        #expect(try plane.removeOrphanedTunnels(OrphanPolicy()) == [])
        #expect(throws: DataPlaneError.self) { _ = try plane.removeOrphanedTunnels(OrphanPolicy(localPort: 0)) }
    }
}

import Testing
@testable import L2TPDaemon

@Suite struct TunnelTableTests {
    func record(_ id: UInt16, sessions: [UInt16] = []) -> TunnelRecord {
        var record = TunnelRecord(
            tunnelID: id, settings: TunnelSettings(), peer: IPv4SocketAddress(address: 1, port: 1701),
            createdLocally: false, createdAt: 0)
        for sid in sessions {
            record.sessions[sid] = SessionRecord(
                sessionID: sid, tunnelID: id, settings: SessionSettings(), createdLocally: false, createdAt: 0)
        }
        return record
    }

    @Test func theSessionCountFollowsEveryChange() {
        var table = TunnelTable()
        table[1] = record(1, sessions: [10, 11])
        table[2] = record(2)
        #expect(table.sessionCount == 2)
        table[2]?.sessions[20] = SessionRecord(
            sessionID: 20, tunnelID: 2, settings: SessionSettings(), createdLocally: false, createdAt: 0)
        table[1]?.sessions[10]?.state = .established
        #expect(table.sessionCount == 3)
        table[1]?.sessions.removeValue(forKey: 11)
        #expect(table.sessionCount == 2)
        table.removeValue(forKey: 2)
        #expect(table.sessionCount == 1 && table.count == 1)
        table[1] = nil
        #expect(table.sessionCount == 0 && table.isEmpty)
    }

    @Test func halfOpenTunnelsLeaveTheSetWhenEstablishedOrGone() {
        var table = TunnelTable()
        table[1] = record(1)
        table[2] = record(2)
        table.markHalfOpen(1)
        table.markHalfOpen(2)
        table.markHalfOpen(3)  // not in the table: ignored
        #expect(table.halfOpen == [1, 2])
        table.markNotHalfOpen(1)
        table[2] = nil
        #expect(table.halfOpen.isEmpty)
        table.compact()
        #expect(table.count == 1 && table[1] != nil)
    }
}

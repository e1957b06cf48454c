import L2TPControl
import L2TPLoadGen
import L2TPWire
import Testing

@Suite struct LoadTallyTests {
    @Test func summaryLineCountsResultCodesInOrder() {
        var a = LoadTally()
        a.tunnelsUp = 1
        a.sessionsEstablished = 5
        a.sessionsRefused = [5: 2, 4: 1993]
        var b = LoadTally()
        b.tunnelsRefused = [4: 1]
        b.sessionsUnresolved = 2
        let line = (a + b).summaryLine(elapsedMilliseconds: 42)
        #expect(
            line
                == "summary tunnels_up=1 tunnels_refused=1 stopccn_results=4:1 tunnels_closed_by_peer=0 "
                + "tunnels_unresolved=0 sessions_established=5 sessions_refused=1995 cdn_results=4:1993,5:2 "
                + "sessions_dropped=0 sessions_unresolved=2 protocol_errors=0 elapsed_ms=42")
        #expect(a.isClean && !(a + b).isClean)
    }
}

@Suite struct SourceAddressPlanTests {
    @Test func addressesSkipTheNetworkAddressAndWrap() throws {
        let plan = try SourceAddressPlan(prefix: "127.100.7.9/16", count: 5000)
        #expect(plan.dottedAddress(0) == "127.100.0.1")
        #expect(plan.dottedAddress(255) == "127.100.1.0")
        #expect(plan.dottedAddress(4999) == "127.100.19.136")
        #expect(plan.dottedAddress(5000) == "127.100.0.1")
    }

    @Test func badPrefixesAndCountsAreRefused() {
        for bad in ["127.0.0.0", "127.0.0/8", "127.0.0.0/31", "300.0.0.0/8", "a.b.c.d/8", "127.0.0.0/x"] {
            #expect(throws: SourceAddressPlan.Invalid.self) { try SourceAddressPlan(prefix: bad, count: 1) }
        }
        #expect(throws: SourceAddressPlan.Invalid.self) { try SourceAddressPlan(prefix: "10.0.0.0/24", count: 255) }
        #expect(throws: SourceAddressPlan.Invalid.self) { try SourceAddressPlan(prefix: "10.0.0.0/24", count: 0) }
        #expect((try? SourceAddressPlan(prefix: "10.0.0.0/24", count: 254)) != nil)
    }
}

@Suite struct RatePacerTests {
    let start = L2TPInstant(nanoseconds: 5_000_000_000)

    @Test func dueGrowsWithTimeAtTheRate() {
        let pacer = RatePacer(perSecond: 300, duration: .seconds(20), start: start)
        #expect(pacer.limit == 6000)
        #expect(pacer.due(at: start) == 0)
        #expect(pacer.due(at: start + .milliseconds(10)) == 3)
        #expect(pacer.due(at: start + .seconds(1)) == 300)
        #expect(pacer.due(at: start + .seconds(60)) == 6000)
        #expect(pacer.nextDue(after: 300) == start + L2TPDuration(nanoseconds: 1_003_333_333))
        #expect(!pacer.isDone(sent: 5999, at: start + .seconds(19)))
        #expect(pacer.isDone(sent: 10, at: start + .seconds(20)))
    }

    @Test func aCountStopsTheFloodEarly() {
        let pacer = RatePacer(perSecond: 1000, duration: .seconds(10), limit: 1500, start: start)
        #expect(pacer.due(at: start + .seconds(5)) == 1500)
        #expect(pacer.isDone(sent: 1500, at: start + .seconds(2)))
    }
}

@Suite struct FloodSCCRQTests {
    @Test func floodSCCRQIsAValidRequestForANewTunnel() throws {
        let flood = FloodSCCRQ(hostName: "flood")
        for id: UInt16 in [0xBEEF, 1, 0xFFFF] {
            let bytes = flood.datagram(assignedTunnelID: id)
            let message = try ControlMessage.decode(bytes)
            try MessageSpec.validate(message)
            #expect(message.messageType == .sccrq && message.tunnelID == 0 && message.ns == 0 && message.nr == 0)
            #expect(message.assignedTunnelID == id && message.hostName == "flood")
            #expect(message.receiveWindowSize == 4)
            #expect(FloodSCCRQ.classify(bytes) == .sccrq)
        }
    }
}

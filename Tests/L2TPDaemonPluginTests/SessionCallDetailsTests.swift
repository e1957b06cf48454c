import L2TPControl
import L2TPWire
import NIOCore
import Testing
@testable import L2TPDaemon

/// The production engine keeps what the peer's ICRQ/ICCN said about a call
/// (numbers, proxy authentication) for the plugins' session snapshots: a
/// real L2TPEndpoint as the LAC talks to an EndpointControlEngine as the LNS.
@Suite struct SessionCallDetailsTests {
    struct Link {
        let lac = L2TPEndpoint()
        let lns = EndpointControlEngine()
        let lacAddress = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)
        let lnsAddress = IPv4SocketAddress(address: 0x7F00_0001, port: 1701)
        var events: [ControlEvent] = []

        /// Delivers datagrams both ways until neither side has anything to send.
        mutating func pump(_ fromLAC: [L2TPAction]) {
            var toLNS = fromLAC.compactMap { action -> ByteBuffer? in
                if case .send(let bytes, _, _) = action { return bytes }
                return nil
            }
            while !toLNS.isEmpty {
                var toLAC: [ByteBuffer] = []
                for datagram in toLNS {
                    for output in lns.acceptingRequests(lns.receive(datagram, from: lacAddress, now: 1), now: 1) {
                        switch output {
                        case .send(let bytes, _, _): toLAC.append(bytes)
                        case .event(let event): events.append(event)
                        }
                    }
                }
                toLNS = toLAC.flatMap { datagram in
                    lac.receive(datagram, from: lnsAddress.peerAddress, now: L2TPInstant(nanoseconds: 1)).compactMap {
                        if case .send(let bytes, _, _) = $0 { return bytes }
                        return nil
                    }
                }
            }
        }
    }

    @Test func proxyAuthenticationAndNumbersOfAnIncomingCall() throws {
        var link = Link()
        let (tunnel, opening) = try link.lac.openTunnel(
            TunnelParameters(), to: link.lnsAddress.peerAddress,
            now: L2TPInstant(nanoseconds: 0))
        link.pump(opening)
        var call = SessionParameters(callType: .lacIncoming)
        call.callingNumber = "5551234"
        call.calledNumber = "100"
        call.proxyAuthentication = ProxyAuthentication(
            type: .chap, name: Array("alice".utf8), challenge: [1, 2, 3, 4], id: 7,
            response: Array(repeating: 9, count: 16))
        let (_, calling) = try link.lac.openSession(tunnel: tunnel, call, now: L2TPInstant(nanoseconds: 1))
        link.pump(calling)
        let up = try #require(
            link.events.compactMap { event -> (UInt16, UInt16)? in
                if case .sessionUp(let tid, let sid, _, _) = event { return (tid, sid) }
                return nil
            }.first)
        let details = try #require(link.lns.sessionCallDetails(tunnelID: up.0, sessionID: up.1))
        #expect(details.callingNumber == "5551234" && details.calledNumber == "100")
        #expect(
            details.proxyAuthentication
                == SessionCallDetails.ProxyAuthentication(
                    type: 2, name: "alice", challenge: [1, 2, 3, 4], response: Array(repeating: 9, count: 16), id: 7))
        // Gone with the session.
        _ = link.lns.closeSession(up.1, in: up.0, now: 2)
        #expect(link.lns.sessionCallDetails(tunnelID: up.0, sessionID: up.1) == nil)
    }
}

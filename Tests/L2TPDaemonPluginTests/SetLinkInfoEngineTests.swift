import L2TPControl
import L2TPWire
import NIOCore
import Testing
@testable import L2TPDaemon

/// Set-Link-Info through the production engine on both ends: the LNS's
/// `setLinkInfo` puts an SLI with the ACCM AVP on the wire (RFC 2661 6.14,
/// 4.4.6) and the LAC's engine reports it as `peerSetLinkInfo`.
@Suite struct SetLinkInfoEngineTests {
    final class Link {
        let lac = EndpointControlEngine()
        let lns = EndpointControlEngine()
        let lacAddress = IPv4SocketAddress(address: 0x7F00_0001, port: 40000)
        let lnsAddress = IPv4SocketAddress(address: 0x7F00_0001, port: 1701)
        var lacEvents: [ControlEvent] = []
        var lnsEvents: [ControlEvent] = []
        /// Every datagram the LNS sent, for decoding.
        var fromLNS: [ByteBuffer] = []

        /// Delivers the LAC's outputs and everything they cause, both ways, until quiet.
        func pump(fromLAC: [EngineOutput] = [], fromLNS lnsOutputs: [EngineOutput] = []) {
            var toLNS = sent(fromLAC, events: &lacEvents)
            var toLAC = sent(lnsOutputs, events: &lnsEvents)
            fromLNS += toLAC
            while !toLNS.isEmpty || !toLAC.isEmpty {
                let replies = toLNS.flatMap { lns.acceptingRequests(lns.receive($0, from: lacAddress, now: 1), now: 1) }
                let answers = toLAC.flatMap { lac.acceptingRequests(lac.receive($0, from: lnsAddress, now: 1), now: 1) }
                toLAC = sent(replies, events: &lnsEvents)
                fromLNS += toLAC
                toLNS = sent(answers, events: &lacEvents)
            }
        }

        private func sent(_ outputs: [EngineOutput], events: inout [ControlEvent]) -> [ByteBuffer] {
            outputs.compactMap { output in
                switch output {
                case .send(let bytes, _, _): return bytes
                case .event(let event):
                    events.append(event)
                    return nil
                }
            }
        }

        /// (tunnel, session) ids of the first session up in `events`.
        static func sessionUp(_ events: [ControlEvent]) -> (UInt16, UInt16)? {
            events.lazy.compactMap { event -> (UInt16, UInt16)? in
                if case .sessionUp(let tid, let sid, _, _) = event { return (tid, sid) }
                return nil
            }.first
        }
    }

    @Test func lnsSendsTheACCMAndTheLACReportsIt() throws {
        let link = Link()
        let (tunnel, opening) = try link.lac.openTunnel(to: link.lnsAddress, settings: TunnelSettings(), now: 0)
        link.pump(fromLAC: opening)
        let (_, calling) = try link.lac.openSession(in: tunnel, settings: SessionSettings(), now: 1)
        link.pump(fromLAC: calling)
        let lacSession = try #require(Link.sessionUp(link.lacEvents))
        let lnsSession = try #require(Link.sessionUp(link.lnsEvents))

        link.fromLNS = []
        let outputs = link.lns.setLinkInfo(
            tunnelID: lnsSession.0, sessionID: lnsSession.1,
            sendACCM: 0x000A_0000, receiveACCM: 0xFFFF_FFFF, now: 2)
        #expect(!outputs.isEmpty)
        link.pump(fromLNS: outputs)

        // On the wire: one SLI to the LAC's session id, Message Type and the ACCM AVP.
        let messages = link.fromLNS.compactMap { try? ControlMessage.decode($0) }
        let sli = try #require(messages.first { $0.messageType == .sli })
        #expect(sli.sessionID == lacSession.1)
        #expect(sli.accm == ACCM(sendACCM: 0x000A_0000, receiveACCM: 0xFFFF_FFFF))
        // The LAC's engine tells the daemon.
        #expect(
            link.lacEvents.contains(
                .peerSetLinkInfo(
                    tunnelID: lacSession.0, sessionID: lacSession.1,
                    sendACCM: 0x000A_0000, receiveACCM: 0xFFFF_FFFF)))
    }

    @Test func noSetLinkInfoForASessionThatIsNotEstablished() {
        let link = Link()
        #expect(link.lns.setLinkInfo(tunnelID: 1, sessionID: 2, sendACCM: 0, receiveACCM: 0, now: 0).isEmpty)
    }
}

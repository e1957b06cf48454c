import L2TPControl
import L2TPWire
import Testing

/// The four call types of RFC 2661 7.4 and 7.5, end to end.
@Suite struct CallTypeTests {
    func establishedPair() throws -> (SimulatedNetwork, TunnelID, TunnelID) {
        let net = SimulatedNetwork()
        let tunnel = try net.openTunnel()
        #expect(net.run(until: { net.record(.lac).tunnelsUp.count == 1 && net.record(.lns).tunnelsUp.count == 1 }))
        return (net, tunnel, try #require(net.peerTunnel(of: tunnel, on: .lac)))
    }

    @Test func lacIncomingAndLnsIncomingWithProxyAuthentication() throws {
        let (net, tunnel, lnsTunnel) = try establishedPair()
        var p = SessionParameters(callType: .lacIncoming)
        p.callingNumber = "5551234"
        p.calledNumber = "100"
        p.txConnectSpeed = 64_000
        p.rxConnectSpeed = 56_000
        p.sequencingRequired = true
        p.framingType = .asynchronous
        p.privateGroupID = Array("group".utf8)
        let proxy = ProxyAuthentication(
            type: .chap, name: Array("alice".utf8), challenge: [1, 2, 3, 4], id: 7,
            response: Array(repeating: 9, count: 16),
            initialReceivedLCPConfReq: [0x01, 0x04, 0x05, 0xdc], lastSentLCPConfReq: [0x02],
            lastReceivedLCPConfReq: [0x03])
        p.proxyAuthentication = proxy
        let session = try net.openSession(.lac, tunnel: tunnel, p)
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 1 && net.record(.lac).sessionsUp.count == 1 }))
        let lac = try #require(net.record(.lac).sessionsUp[.init(tunnel: tunnel, session: session)])
        #expect(lac.callType == .lacIncoming)
        let lns = try #require(net.record(.lns).sessionsUp.values.first)
        #expect(lns.callType == .lnsIncoming && lns.tunnelID == lnsTunnel)
        #expect(lns.peerSessionID == session && lac.peerSessionID == lns.sessionID)
        #expect(lns.callingNumber == "5551234" && lns.calledNumber == "100")
        #expect(lns.txConnectSpeed == 64_000 && lns.rxConnectSpeed == 56_000)
        #expect(lns.sequencingRequired && lns.framingType == .asynchronous)
        #expect(lns.privateGroupID == Array("group".utf8))
        #expect(lns.proxyAuthentication == proxy)
        #expect(lns.callSerialNumber == lac.callSerialNumber)
        #expect(net.lns.statistics[.icrq].rxGood == 1 && net.lns.statistics[.iccn].rxGood == 1)
        #expect(net.lac.statistics[.icrp].rxGood == 1)
    }

    @Test func lnsOutgoingAndLacOutgoing() throws {
        let (net, tunnel, lnsTunnel) = try establishedPair()
        var p = SessionParameters(callType: .lnsOutgoing)
        p.calledNumber = "0800123"
        p.minimumBPS = 9600
        p.maximumBPS = 128_000
        p.bearerType = .digital
        p.framingType = .synchronous
        let session = try net.openSession(.lns, tunnel: lnsTunnel, p)
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 1 && net.record(.lac).sessionsUp.count == 1 }))
        let lns = try #require(net.record(.lns).sessionsUp[.init(tunnel: lnsTunnel, session: session)])
        let lac = try #require(net.record(.lac).sessionsUp.values.first)
        #expect(lns.callType == .lnsOutgoing && lac.callType == .lacOutgoing && lac.tunnelID == tunnel)
        #expect(lac.calledNumber == "0800123" && lac.bearerType == .digital)
        #expect(lns.txConnectSpeed == lac.txConnectSpeed)
        #expect(lns.peerSessionID == lac.sessionID && lac.peerSessionID == session)
        #expect(net.lac.statistics[.ocrq].rxGood == 1 && net.lns.statistics[.ocrp].rxGood == 1)
        #expect(net.lns.statistics[.occn].rxGood == 1)
        // And down again from the LAC side.
        try net.closeSession(.lac, tunnel: tunnel, session: lac.sessionID, result: ResultCode(.lostCarrier))
        #expect(net.run(until: { net.record(.lns).sessionsDown.count == 1 }))
        #expect(net.record(.lns).sessionsDown.values.first == .closedByPeer(ResultCode(.lostCarrier), nil))
    }

    @Test func refusedCallsGetCDNWithThePolicysResult() throws {
        struct Refuse: L2TPEndpointPolicy {
            func admitTunnel(_ r: IncomingTunnelRequest) -> TunnelAdmission { .accept(TunnelParameters()) }
            func admitSession(_ r: IncomingSessionRequest) -> SessionAdmission {
                .refuse(ResultCode(.permanentLackOfResources, error: .insufficientResources))
            }
        }
        let net = SimulatedNetwork(lacPolicy: Refuse(), lnsPolicy: Refuse())
        let tunnel = try net.openTunnel()
        let incoming = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
        #expect(net.run(until: { net.record(.lac).sessionsDown.count == 1 }))
        #expect(
            net.record(.lac).sessionsDown[.init(tunnel: tunnel, session: incoming)]
                == .closedByPeer(ResultCode(.permanentLackOfResources, error: .insufficientResources), nil))
        let lnsTunnel = try #require(net.peerTunnel(of: tunnel, on: .lac))
        // The refused ICRQ's session existed on the LNS while it waited for
        // the decision: it went down with the CDN.
        #expect(net.record(.lns).sessionsDown.count == 1)
        let outgoing = try net.openSession(.lns, tunnel: lnsTunnel, SessionParameters(callType: .lnsOutgoing))
        #expect(net.run(until: { net.record(.lns).sessionsDown.count == 2 }))
        #expect(net.record(.lns).sessionsDown[.init(tunnel: lnsTunnel, session: outgoing)] != nil)
        #expect(net.record(.lac).sessionsUp.isEmpty && net.record(.lns).sessionsUp.isEmpty)
        #expect(net.lac.tunnel(tunnel)?.sessionCount == 0 && net.lns.tunnel(lnsTunnel)?.sessionCount == 0)
    }

    @Test func refusedTunnelGetsStopCCNWithThePolicysResult() throws {
        struct Refuse: L2TPEndpointPolicy {
            func admitTunnel(_ r: IncomingTunnelRequest) -> TunnelAdmission { .refuse(ResultCode(.notAuthorized)) }
            func admitSession(_ r: IncomingSessionRequest) -> SessionAdmission { .refuse(ResultCode(.busy)) }
        }
        let net = SimulatedNetwork(lnsPolicy: Refuse())
        let tunnel = try net.openTunnel()
        net.run(for: .seconds(100))
        #expect(net.record(.lac).tunnelsDown[tunnel] == .closedByPeer(ResultCode(.notAuthorized)))
        #expect(net.record(.lac).tunnelsFreed == [tunnel] && net.record(.lns).tunnelsFreed.count == 1)
        #expect(net.lac.nextDeadline == nil && net.lns.nextDeadline == nil)
    }

    @Test func setLinkInfoAndWANErrorNotifyTravelBothWays() throws {
        let (net, tunnel, lnsTunnel) = try establishedPair()
        let session = try net.openSession(.lac, tunnel: tunnel, SessionParameters(callType: .lacIncoming))
        #expect(net.run(until: { net.record(.lns).sessionsUp.count == 1 && net.record(.lac).sessionsUp.count == 1 }))
        let lnsSession = try #require(net.record(.lns).sessionsUp.values.first).sessionID
        let accm = ACCM(sendACCM: 0, receiveACCM: 0xFFFF_FFFF)
        net.perform(try net.lns.setLinkInfo(tunnel: lnsTunnel, session: lnsSession, accm: accm, now: net.now), on: .lns)
        let errors = CallErrors(crcErrors: 1, framingErrors: 2)
        net.perform(
            try net.lac.wanErrorNotify(tunnel: tunnel, session: session, errors: errors, now: net.now), on: .lac)
        net.run(for: .seconds(1))
        #expect(net.record(.lac).linkInfos.count == 1 && net.record(.lac).linkInfos.first?.2 == accm)
        #expect(net.record(.lac).linkInfos.first?.1 == session)
        #expect(net.record(.lns).wanErrors.first?.2 == errors && net.record(.lns).wanErrors.first?.1 == lnsSession)
        #expect(throws: L2TPControlError.unknownSession(tunnel, 0)) {
            _ = try net.lac.setLinkInfo(tunnel: tunnel, session: session &+ 1, accm: accm, now: net.now)
        }
    }
}

import L2TPControl
import L2TPWire
import NIOCore
import Testing

/// Malformed or unexpected messages in each state get the RFC's answer
/// (StopCCN or CDN with the right code, or ZLB and drop), never a crash.
@Suite struct MalformedMessageTests {
    func endpoint() -> L2TPEndpoint {
        L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 42))
    }

    func result(of message: ControlMessage?) -> ResultCode? { message?.resultCode }

    /// An established tunnel with one LNS-incoming session in wait-connect.
    func waitingSession() -> (ScriptedPeer, TunnelID) {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        let replies = peer.send(.icrq, [.assignedSessionID(11), .callSerialNumber(1)]).replies
        #expect(replies.types == [.icrp])
        return (peer, tunnel)
    }

    @Test func sccrqWithoutHostNameGetsStopCCN() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let replies = peer.send(
            .sccrq, [.protocolVersion(.rfc2661), .framingCapabilities([]), .assignedTunnelID(5)], tunnel: 0
        ).replies
        let stop = replies.first(.stopCCN)
        #expect(stop?.tunnelID == 5)
        #expect(result(of: stop)?.error == ResultCode.GeneralError.badValue.rawValue)
        #expect(peer.endpoint.statistics[.sccrq].rxBad == 1)
    }

    @Test func sccrqWithZeroWindowOrWrongVersionIsRefused() {
        var peer = ScriptedPeer(endpoint: endpoint())
        var avps = ScriptedPeer.sccrqAVPs(tunnelID: 6, window: 0)
        var stop = peer.send(.sccrq, avps, tunnel: 0).replies.first(.stopCCN)
        #expect(stop?.resultCode?.result == 2 && stop?.resultCode?.error == 3)
        var other = ScriptedPeer(endpoint: endpoint())
        avps = ScriptedPeer.sccrqAVPs(tunnelID: 7)
        avps[0] = .protocolVersion(ProtocolVersion(version: 2, revision: 0))
        stop = other.send(.sccrq, avps, tunnel: 0).replies.first(.stopCCN)
        #expect(stop?.resultCode?.result == ResultCode.StopCCNResult.unsupportedProtocolVersion.rawValue)
    }

    @Test func icrqBeforeTheTunnelIsUpGetsCDNNoControlConnection() {
        var peer = ScriptedPeer(endpoint: endpoint())
        #expect(peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 8), tunnel: 0).replies.types == [.sccrp])
        let replies = peer.send(.icrq, [.assignedSessionID(21), .callSerialNumber(3)]).replies
        let cdn = replies.first(.cdn)
        #expect(cdn?.sessionID == 21)
        #expect(
            cdn?.resultCode?.result == 2
                && cdn?.resultCode?.error == ResultCode.GeneralError.noControlConnection.rawValue)
        // The tunnel itself is fine and still completes.
        #expect(peer.endpoint.tunnel(peer.remoteTunnelID)?.phase == .waitCtlConn)
        _ = peer.send(.scccn, [])
        #expect(peer.endpoint.tunnel(peer.remoteTunnelID)?.phase == .established)
    }

    @Test func unknownMandatoryAVPInICCNGetsCDNWithError8() {
        var (peer, tunnel) = waitingSession()
        let session = peer.endpoint.sessions(tunnel: tunnel)[0].sessionID
        let unknown = AVPEntry(.unknown(type: 200, value: [1, 2]), mandatory: true)
        let out = peer.send(
            .iccn, sessionID: session, [.txConnectSpeed(1000), .framingType(.synchronous)], extra: [unknown])
        let cdn = out.replies.first(.cdn)
        #expect(cdn?.sessionID == 11)
        #expect(
            cdn?.resultCode?.result == 2
                && cdn?.resultCode?.error == ResultCode.GeneralError.unknownMandatoryAVP.rawValue)
        #expect(out.actions.contains { if case .sessionDown(tunnel, session, _) = $0 { true } else { false } })
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .established)
        #expect(peer.endpoint.statistics[.iccn].rxBad == 1)
    }

    @Test func unknownMandatoryAVPInATunnelMessageGetsStopCCN() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        let unknown = AVPEntry(.vendor(vendorID: 3561, type: 1, value: [0]), mandatory: true)
        let out = peer.send(.hello, [], extra: [unknown])
        let stop = out.replies.first(.stopCCN)
        #expect(stop?.resultCode?.error == ResultCode.GeneralError.unknownMandatoryAVP.rawValue)
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .closing)
        // Non-mandatory unknown AVPs are ignored.
        var other = ScriptedPeer(endpoint: endpoint())
        let second = other.establish()
        let harmless = AVPEntry(.vendor(vendorID: 3561, type: 1, value: [0]), mandatory: false)
        #expect(other.send(.hello, [], extra: [harmless]).replies.first(.stopCCN) == nil)
        #expect(other.endpoint.tunnel(second)?.phase == .established)
    }

    @Test func unknownMessageTypeWithoutMBitIsIgnoredWithMBitClearsTheTunnel() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        func raw(type: UInt16, mandatory: Bool, ns: UInt16, nr: UInt16) -> ByteBuffer {
            var b = ByteBuffer()
            b.writeInteger(UInt16(0xC802))
            b.writeInteger(UInt16(20))
            b.writeInteger(tunnel)
            b.writeInteger(UInt16(0))
            b.writeInteger(ns)
            b.writeInteger(nr)
            b.writeInteger(UInt16(mandatory ? 0x8008 : 0x0008))
            b.writeInteger(UInt16(0))
            b.writeInteger(UInt16(0))
            b.writeInteger(type)
            return b
        }
        var replies = peer.deliver(raw(type: 99, mandatory: false, ns: peer.ns, nr: peer.nr)).replies
        peer.ns &+= 1
        #expect(replies.first(.stopCCN) == nil)
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .established)
        // It still took its Ns slot: the next message is in sequence.
        #expect(peer.endpoint.tunnel(tunnel)?.transport.expectedNs == peer.ns)
        replies = peer.deliver(raw(type: 99, mandatory: true, ns: peer.ns, nr: peer.nr)).replies
        #expect(replies.first(.stopCCN)?.resultCode?.error == 8)
    }

    @Test func wrongNrIsAnsweredWithZLBAndDropped() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        let before = peer.endpoint.tunnel(tunnel)!.transport
        let replies = peer.send(.hello, [], nsOverride: peer.ns, nrOverride: 500).replies
        #expect(replies.count == 1 && replies[0].isZLB && replies[0].nr == before.expectedNs)
        #expect(peer.endpoint.tunnel(tunnel)?.transport.expectedNs == before.expectedNs)
        #expect(peer.endpoint.tunnel(tunnel)?.statistics.badMessagesReceived == 1)
        // The same Ns with a sane Nr is then accepted.
        _ = peer.send(.hello, [])
        #expect(peer.endpoint.tunnel(tunnel)?.transport.expectedNs == before.expectedNs &+ 1)
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .established)
    }

    @Test func sccrpWhenEstablishedIsAStateMachineError() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        let stop = peer.send(.sccrp, ScriptedPeer.sccrqAVPs(tunnelID: 1)).replies.first(.stopCCN)
        #expect(stop?.resultCode?.result == ResultCode.StopCCNResult.stateMachineError.rawValue)
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .closing)
    }

    @Test func sessionMessagesOutOfSequenceGetCDN() {
        var (peer, tunnel) = waitingSession()
        let session = peer.endpoint.sessions(tunnel: tunnel)[0].sessionID
        // ICRP sent to an LNS-incoming session: RFC 2661 7.4.2 "Send CDN, clean up".
        let cdn = peer.send(.icrp, sessionID: session, [.assignedSessionID(11)]).replies.first(.cdn)
        #expect(cdn?.resultCode?.result == 2)
        #expect(peer.endpoint.sessions(tunnel: tunnel).isEmpty)
        // Messages for sessions that do not exist are acknowledged and ignored.
        let ignored = peer.send(.iccn, sessionID: 999, [.txConnectSpeed(1), .framingType(.synchronous)]).replies
        #expect(ignored.first(.cdn) == nil)
        #expect(peer.endpoint.tunnel(tunnel)?.phase == .established)
    }

    @Test func cdnBeforeThePeerKnewOurIdFindsTheSession() {
        var (peer, tunnel) = waitingSession()
        let session = peer.endpoint.sessions(tunnel: tunnel)[0].sessionID
        let out = peer.send(.cdn, sessionID: 0, [.resultCode(ResultCode(.noCarrier)), .assignedSessionID(11)])
        #expect(
            out.actions.contains {
                if case .sessionDown(tunnel, session, .closedByPeer(ResultCode(.noCarrier), nil)) = $0 {
                    true
                } else {
                    false
                }
            })
    }

    @Test func wenAndSLIAreReported() {
        var (peer, tunnel) = waitingSession()
        let session = peer.endpoint.sessions(tunnel: tunnel)[0].sessionID
        _ = peer.send(.iccn, sessionID: session, [.txConnectSpeed(1000), .framingType(.synchronous)])
        let accm = ACCM(sendACCM: 0xFFFF_FFFF, receiveACCM: 0)
        var out = peer.send(.sli, sessionID: session, [.accm(accm)]).actions
        #expect(out.contains { if case .setLinkInfo(tunnel, session, accm) = $0 { true } else { false } })
        let errors = CallErrors(crcErrors: 3)
        out = peer.send(.wen, sessionID: session, [.callErrors(errors)]).actions
        #expect(out.contains { if case .wanErrorNotify(tunnel, session, errors) = $0 { true } else { false } })
    }

    @Test func garbageNeverCrashesAndNeverBreaksTheTunnelState() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        var rng = SeededRandomNumberGenerator(seed: 2661)
        let valid = try! ControlMessage(
            .icrq, tunnelID: tunnel, ns: peer.ns, nr: peer.nr, avps: [.assignedSessionID(5), .callSerialNumber(9)]
        ).encoded()
        for _ in 0..<3000 {
            var bytes = valid
            let flips = Int(rng.next() % 4) + 1
            for _ in 0..<flips {
                let index = Int(rng.next() % UInt64(bytes.readableBytes))
                bytes.setInteger(UInt8(truncatingIfNeeded: rng.next()), at: index)
            }
            if rng.next() % 5 == 0 { bytes.moveWriterIndex(to: Int(rng.next() % UInt64(bytes.readableBytes))) }
            _ = peer.endpoint.receive(bytes, from: peer.address, now: peer.now)
            _ = peer.endpoint.handleTimeout(now: peer.now)
        }
        // Whatever happened, the endpoint answers in the RFC's terms and holds
        // no more than the one tunnel (plus any garbage-created responder).
        #expect(peer.endpoint.tunnel(tunnel) != nil)
        #expect(peer.endpoint.tunnelIDs.count < 50)
    }
}

/// One malformed message in each tunnel state, from a scripted peer.
@Suite struct MalformedInEachStateTests {
    @Test func malformedSCCRPInWaitCtlReplyGetsStopCCN() throws {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 11))
        var peer = ScriptedPeer(endpoint: endpoint)
        let (tunnel, actions) = try endpoint.openTunnel(TunnelParameters(), to: peer.address, now: peer.now)
        #expect(peer.absorb(actions).types == [.sccrq])
        peer.remoteTunnelID = tunnel
        // SCCRP without Host Name (a required AVP, RFC 2661 6.2).
        let replies = peer.send(
            .sccrp, [.protocolVersion(.rfc2661), .framingCapabilities([]), .assignedTunnelID(12)]
        ).replies
        let stop = replies.first(.stopCCN)
        #expect(stop?.resultCode?.result == 2 && stop?.resultCode?.error == 3)
        #expect(endpoint.tunnel(tunnel)?.phase == .closing)
    }

    @Test func malformedSCCCNInWaitCtlConnGetsStopCCN() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 12))
        var peer = ScriptedPeer(endpoint: endpoint)
        _ = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 13), tunnel: 0)
        // A Challenge Response of the wrong length is a bad mandatory AVP.
        let bad = AVPEntry(.unknown(type: 13, value: [1, 2, 3]), mandatory: true)
        let replies = peer.send(.scccn, [], extra: [bad]).replies
        #expect(replies.first(.stopCCN)?.resultCode?.result == 2)
        #expect(endpoint.tunnel(peer.remoteTunnelID)?.phase == .closing)
    }

    @Test func anythingDuringClosingIsOnlyAcknowledged() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 13))
        var peer = ScriptedPeer(endpoint: endpoint)
        let tunnel = peer.establish()
        _ = peer.send(.stopCCN, [.assignedTunnelID(peer.tunnelID), .resultCode(ResultCode(.generalRequest))])
        let unknown = AVPEntry(.unknown(type: 300, value: []), mandatory: true)
        for replies in [
            peer.send(.icrq, [.assignedSessionID(1), .callSerialNumber(1)]).replies,
            peer.send(.hello, [], extra: [unknown]).replies,
            peer.send(.sccrp, ScriptedPeer.sccrqAVPs(tunnelID: 1)).replies,
        ] {
            #expect(replies.allSatisfy(\.isZLB) && replies.count == 1)
        }
        #expect(endpoint.tunnel(tunnel)?.phase == .closing)
        #expect(endpoint.tunnel(tunnel)?.sessionCount == 0)
    }

    @Test func challengeWithoutSecretIsAParameterError() {
        let endpoint = L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 14))
        var p = TunnelParameters()
        p.authMode = .challenge
        #expect(throws: L2TPControlError.invalidParameter("auth_mode", "")) {
            _ = try endpoint.openTunnel(p, to: .ipv4(198, 51, 100, 1), now: .zero)
        }
        p.authMode = .none
        p.hideAVPs = true
        #expect(throws: L2TPControlError.invalidParameter("hide_avps", "")) {
            _ = try endpoint.openTunnel(p, to: .ipv4(198, 51, 100, 1), now: .zero)
        }
        #expect(endpoint.tunnelIDs.isEmpty)
    }
}

import L2TPConfig
import L2TPControl
import L2TPWire
import NIOCore

/// The production `ControlEngine`: L2TPControl's `L2TPEndpoint`, its
/// actions translated to daemon outputs (admission requests become
/// `.tunnelRequested` / `.sessionRequested` events, answered through
/// `decideTunnel` / `decideSession`).
public final class EndpointControlEngine: ControlEngine {
    public let endpoint: L2TPEndpoint
    /// Call AVPs of established sessions, by tunnel id << 16 | session id.
    private var callDetails: [UInt32: SessionCallDetails] = [:]

    /// - Parameter maxHalfOpenTunnels: the size of the endpoint's half-open
    ///   table (responder tunnels not yet established, oldest evicted first).
    public init(maxHalfOpenTunnels: Int = L2TPEndpoint.defaultMaxHalfOpenTunnels) {
        endpoint = L2TPEndpoint(maxHalfOpenTunnels: maxHalfOpenTunnels)
    }

    public func decideTunnel(_ tunnelID: UInt16, _ admission: Admission<TunnelSettings>, now: UInt64)
        -> [EngineOutput]
    {
        let decision: TunnelAdmission =
            switch admission {
            case .accept(let settings): .accept(ParameterMapping.tunnelParameters(settings))
            case .refuse(let refusal): .refuse(ParameterMapping.refusal(refusal))
            }
        return translate((try? endpoint.decideTunnel(tunnelID, decision, now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func decideSession(
        _ sessionID: UInt16, in tunnelID: UInt16, _ admission: Admission<SessionSettings>, now: UInt64
    ) -> [EngineOutput] {
        let decision: SessionAdmission =
            switch admission {
            case .accept(let settings): .accept(ParameterMapping.sessionParameters(settings))
            case .refuse(let refusal): .refuse(ParameterMapping.refusal(refusal))
            }
        return translate(
            (try? endpoint.decideSession(
                tunnel: tunnelID, session: sessionID, decision, now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func receive(_ datagram: ByteBuffer, from peer: IPv4SocketAddress, now: UInt64) -> [EngineOutput] {
        translate(endpoint.receive(datagram, from: peer.peerAddress, now: L2TPInstant(nanoseconds: now)))
    }

    public func openTunnel(to peer: IPv4SocketAddress, settings: TunnelSettings, now: UInt64) throws(DaemonError) -> (
        tunnelID: UInt16, outputs: [EngineOutput]
    ) {
        do {
            let (id, actions) = try endpoint.openTunnel(
                ParameterMapping.tunnelParameters(settings), to: peer.peerAddress,
                now: L2TPInstant(nanoseconds: now))
            return (id, translate(actions))
        } catch {
            throw .invalidCommand(error.detail)
        }
    }

    public func closeTunnel(_ tunnelID: UInt16, now: UInt64) -> [EngineOutput] {
        translate((try? endpoint.closeTunnel(tunnelID, now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func closeTunnel(_ tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput] {
        translate(
            (try? endpoint.closeTunnel(
                tunnelID, result: ParameterMapping.refusal(refusal),
                now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, refusal: Refusal, now: UInt64) -> [EngineOutput]
    {
        translate(
            (try? endpoint.closeSession(
                tunnel: tunnelID, session: sessionID, result: ParameterMapping.refusal(refusal),
                now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func closeAllTunnels(now: UInt64) -> [EngineOutput] {
        translate(endpoint.closeAllTunnels(now: L2TPInstant(nanoseconds: now)))
    }

    public func openSession(in tunnelID: UInt16, settings: SessionSettings, now: UInt64) throws(DaemonError) -> (
        sessionID: UInt16, outputs: [EngineOutput]
    ) {
        do {
            let (id, actions) = try endpoint.openSession(
                tunnel: tunnelID, ParameterMapping.sessionParameters(settings),
                now: L2TPInstant(nanoseconds: now))
            return (id, translate(actions))
        } catch {
            throw .invalidCommand(error.detail)
        }
    }

    public func closeSession(_ sessionID: UInt16, in tunnelID: UInt16, now: UInt64) -> [EngineOutput] {
        translate(
            (try? endpoint.closeSession(tunnel: tunnelID, session: sessionID, now: L2TPInstant(nanoseconds: now))) ?? []
        )
    }

    public func setLinkInfo(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32, now: UInt64)
        -> [EngineOutput]
    {
        let accm = ACCM(sendACCM: sendACCM, receiveACCM: receiveACCM)
        return translate(
            (try? endpoint.setLinkInfo(
                tunnel: tunnelID, session: sessionID, accm: accm,
                now: L2TPInstant(nanoseconds: now))) ?? [])
    }

    public func noteDataTraffic(tunnel tunnelID: UInt16, now: UInt64) {
        endpoint.noteDataTraffic(tunnel: tunnelID, now: L2TPInstant(nanoseconds: now))
    }

    public func sessionCallDetails(tunnelID: UInt16, sessionID: UInt16) -> SessionCallDetails? {
        callDetails[UInt32(tunnelID) << 16 | UInt32(sessionID)]
    }

    private static func callDetails(_ info: L2TPControl.SessionInfo) -> SessionCallDetails {
        let proxy = info.proxyAuthentication.map { p in
            SessionCallDetails.ProxyAuthentication(
                type: p.type?.rawValue ?? 0, name: p.name.map { String(decoding: $0, as: UTF8.self) },
                challenge: p.challenge ?? [], response: p.response ?? [], id: p.id.map(UInt16.init))
        }
        var details = SessionCallDetails(
            callSerialNumber: info.callSerialNumber, callingNumber: info.callingNumber,
            calledNumber: info.calledNumber, subAddress: info.subAddress,
            proxyAuthentication: proxy)
        details.framingType = info.framingType.map {
            capabilityWord($0.contains(.synchronous), $0.contains(.asynchronous), "sync", "async")
        }
        details.bearerType = info.bearerType.map {
            capabilityWord($0.contains(.digital), $0.contains(.analog), "digital", "analog")
        }
        details.txConnectSpeed = info.txConnectSpeed
        details.rxConnectSpeed = info.rxConnectSpeed
        details.sequencingRequired = info.sequencingRequired
        return details
    }

    /// Two capability bits as the word `session show` uses: one name, "any" or "none".
    private static func capabilityWord(_ first: Bool, _ second: Bool, _ firstName: String, _ secondName: String)
        -> String
    {
        switch (first, second) {
        case (true, true): return "any"
        case (true, false): return firstName
        case (false, true): return secondName
        case (false, false): return "none"
        }
    }

    public func handleTimeout(now: UInt64) -> [EngineOutput] {
        translate(endpoint.handleTimeout(now: L2TPInstant(nanoseconds: now)))
    }

    public var nextDeadline: UInt64? { endpoint.nextDeadline?.nanoseconds }

    public var messageStatistics: [MessageStatistics] {
        let stats = endpoint.statistics
        return MessageType.allCases.map { type in
            let c = stats[type]
            return MessageStatistics(name: type.description, rxGood: c.rxGood, rxBad: c.rxBad, tx: c.tx)
        } + [MessageStatistics(name: "ZLB", rxGood: stats.zlbRx, rxBad: 0, tx: stats.zlbTx)]
    }

    public func resetStatistics() { endpoint.resetStatistics() }

    public var maxHalfOpenTunnels: Int {
        get { endpoint.maxHalfOpenTunnels }
        set { endpoint.maxHalfOpenTunnels = newValue }
    }

    public var controlDrops: ControlDrops {
        ControlDrops(
            foreignSource: endpoint.statistics.foreignSourceDropped,
            halfOpenEvicted: endpoint.statistics.halfOpenEvicted)
    }

    public var unacknowledgedMessages: Int {
        endpoint.tunnelIDs.reduce(0) { total, id in
            guard let t = endpoint.tunnel(id)?.transport else { return total }
            return total + t.unacknowledged + t.queued
        }
    }

    public func tunnelControlStatistics(_ tunnelID: UInt16) -> TunnelControlStatistics? {
        guard let snapshot = endpoint.tunnel(tunnelID) else { return nil }
        let s = snapshot.statistics
        return TunnelControlStatistics(
            state: snapshot.phase.rawValue, messagesSent: s.messagesSent, messagesReceived: s.messagesReceived,
            retransmissions: s.retransmissions, zlbSent: s.zlbSent, zlbReceived: s.zlbReceived,
            duplicatesReceived: s.duplicatesReceived, outOfOrderReceived: s.outOfOrderReceived,
            badMessagesReceived: s.badMessagesReceived, helloSent: s.helloSent,
            unacknowledged: snapshot.transport.unacknowledged, congestionWindow: snapshot.transport.congestionWindow,
            peerWindow: snapshot.transport.peerWindow)
    }

    private func translate(_ actions: [L2TPAction]) -> [EngineOutput] {
        actions.compactMap { action -> EngineOutput? in
            switch action {
            case .send(let bytes, let peer, let tunnel):
                guard let address = IPv4SocketAddress(peer) else { return nil }
                return .send(bytes, to: address, tunnel: tunnel)
            case .admitTunnel(let request):
                guard let address = IPv4SocketAddress(request.peer) else { return nil }
                return .event(
                    .tunnelRequested(
                        TunnelRequest(
                            peer: address, peerHostName: request.peerHostName, peerTunnelID: request.peerTunnelID,
                            tunnelID: request.tunnelID)))
            case .admitSession(let request):
                return .event(
                    .sessionRequested(
                        SessionRequest(
                            tunnelID: request.tunnelID, peerSessionID: request.peerSessionID,
                            isOutgoingCall: request.callType == .lacOutgoing, sessionID: request.sessionID,
                            callSerialNumber: request.callSerialNumber, callingNumber: request.callingNumber,
                            calledNumber: request.calledNumber, subAddress: request.subAddress)))
            case .tunnelUp(let info):
                guard let address = IPv4SocketAddress(info.peer) else { return nil }
                return .event(
                    .tunnelUp(
                        tunnelID: info.tunnelID, peerTunnelID: info.peerTunnelID, peer: address,
                        peerHostName: info.peerHostName))
            case .tunnelDown(let id, let reason):
                let byPeer: Bool
                if case .closedByPeer = reason { byPeer = true } else { byPeer = false }
                return .event(.tunnelDown(tunnelID: id, reason: reason.description, byPeer: byPeer))
            case .tunnelFreed(let id):
                callDetails = callDetails.filter { $0.key >> 16 != UInt32(id) }
                return .event(.tunnelFreed(tunnelID: id))
            case .tunnelPeerMoved(let id, let peer):
                guard let address = IPv4SocketAddress(peer) else { return nil }
                return .event(.tunnelPeerMoved(tunnelID: id, peer: address))
            case .sessionUp(let info):
                callDetails[UInt32(info.tunnelID) << 16 | UInt32(info.sessionID)] = Self.callDetails(info)
                return .event(
                    .sessionUp(
                        tunnelID: info.tunnelID, sessionID: info.sessionID, peerSessionID: info.peerSessionID,
                        sequencingRequired: info.sequencingRequired))
            case .sessionDown(let tid, let sid, let reason):
                callDetails[UInt32(tid) << 16 | UInt32(sid)] = nil
                return .event(.sessionDown(tunnelID: tid, sessionID: sid, reason: reason.description))
            case .sessionMoved(let sid, let from, let to):
                return .event(
                    .trace(
                        tunnelID: to, flag: TraceFlags.fsm.rawValue,
                        message: "session \(sid) moved from tunnel \(from) after a tie break"))
            case .setLinkInfo(let tid, let sid, let accm):
                return .event(
                    .peerSetLinkInfo(
                        tunnelID: tid, sessionID: sid, sendACCM: accm.sendACCM,
                        receiveACCM: accm.receiveACCM))
            case .wanErrorNotify(let tid, let sid, let errors):
                return .event(
                    .trace(
                        tunnelID: tid, flag: TraceFlags.protocolMessages.rawValue,
                        message: "session \(sid): WAN-Error-Notify \(errors)"))
            }
        }
    }
}

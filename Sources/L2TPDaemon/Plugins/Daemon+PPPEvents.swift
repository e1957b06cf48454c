import L2TPConfig
import PPPEvents

/// pppd's openl2tp.so indications (docs/ppp.md, PPPEvents), handled on the
/// event loop: PPP up/down drive the session's PPP state and the plugins'
/// ppp_up/ppp_down hooks; an ACCM indication on an LNS session becomes a
/// Set-Link-Info to the LAC (RFC 2661 6.14, 4.4.6).
extension Daemon {
    public func handlePPPEvent(_ result: Result<PPPEvent, PPPEventError>) {
        trace(.function, "handlePPPEvent")
        let event: PPPEvent
        switch result {
        case .success(let decoded): event = decoded
        case .failure(let error):
            // Anyone on this host can send garbage: never touch sessions.
            trace(.ppp, "ignored a datagram on the PPP event socket: \(escaped: "\(error)")")
            return
        }
        switch event {
        case .null:
            return
        case .upDown(let state):
            handlePPPLinkState(state)
        case .accm(let accm):
            handlePPPACCM(accm)
        }
    }

    /// pppol2tp.so reports up once per network protocol that comes up (IPCP,
    /// then IPv6CP) and down once per protocol that goes: only the first up
    /// and the first down after it change the session's PPP state; repeats
    /// are normal and traced quietly.
    func handlePPPLinkState(_ state: PPPLinkState) {
        let (tid, sid) = (state.tunnelID, state.sessionID)
        guard tunnels[tid]?.sessions[sid] != nil else {
            return trace(.ppp, tunnel: tid, "PPP \(state.isUp ? "up" : "down") for unknown session \(sid): ignored")
        }
        trace(
            .ppp, tunnel: tid, session: sid,
            "PPP \(state.isUp ? "up" : "down") on \(escaped: state.interfaceName) (unit \(state.unit))")
        let wasUp = pppState(tunnelID: tid, sessionID: sid)?.isUp ?? false
        if state.isUp {
            guard !wasUp else {
                return trace(
                    .ppp, tunnel: tid, session: sid,
                    "PPP up again on \(escaped: state.interfaceName) (another network protocol): already up")
            }
            // The user name is what the peer authenticated as (PAP/CHAP).
            let user = state.userName.map { " user '\(escaped: $0)'" } ?? ""
            logger.info(
                "session \(sid) in tunnel \(tid): PPP up on \(escaped: state.interfaceName) (unit \(state.unit))\(user)"
            )
            let reported = PluginPPPState(
                interfaceName: state.interfaceName, unit: state.unit, userName: state.userName)
            pluginsPPPUp(tunnelID: tid, sessionID: sid, state: reported)
        } else {
            guard wasUp || plugins == nil else {
                return trace(
                    .ppp, tunnel: tid, session: sid, "PPP down again on \(escaped: state.interfaceName): already down")
            }
            logger.info("session \(sid) in tunnel \(tid): PPP down on \(escaped: state.interfaceName)")
            pluginsPPPDown(tunnelID: tid, sessionID: sid)
        }
    }

    /// RFC 2661 4.4.6/6.14: the LNS tells the LAC the ACCM it negotiated with
    /// the PPP peer, in a Set-Link-Info, whenever it changes (pppol2tp.so
    /// reports it only in LNS mode, after each LCP negotiation). A LAC sends
    /// none: it is the side that applies the ACCM.
    func handlePPPACCM(_ accm: PPPACCMIndication) {
        let (tid, sid) = (accm.tunnelID, accm.sessionID)
        let text = "ACCM send \(Self.hex32(accm.sendACCM)) receive \(Self.hex32(accm.receiveACCM)) from pppd"
        guard let tunnel = tunnels[tid], let session = tunnel.sessions[sid], session.state == .established else {
            return trace(.ppp, tunnel: tid, "\(text) for session \(sid), which is not established: ignored")
        }
        let callType = PluginSnapshots.callType(session.settings, tunnelCreatedLocally: tunnel.createdLocally)
        guard callType == .lnsIncoming || callType == .lnsOutgoing else {
            return trace(.ppp, tunnel: tid, session: sid, "\(text) on a LAC session: only the LNS sends Set-Link-Info")
        }
        let outputs = engine.setLinkInfo(
            tunnelID: tid, sessionID: sid, sendACCM: accm.sendACCM,
            receiveACCM: accm.receiveACCM, now: clock())
        guard !outputs.isEmpty else {
            return logger.warning("session \(sid) in tunnel \(tid): \(text): Set-Link-Info could not be sent")
        }
        logger.info("session \(sid) in tunnel \(tid): \(text): Set-Link-Info to the LAC")
        perform(outputs)
    }

    /// `0x0000000a`: ACCMs are bit masks, read best at full width.
    static func hex32(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// `session show`: the PPP interface pppd reported, if PPP came up.
    func pppInterfaceText(tunnelID tid: UInt16, sessionID sid: UInt16) -> String {
        guard let state = pppState(tunnelID: tid, sessionID: sid), let name = state.interfaceName else { return "NONE" }
        return state.unit.map { "\(escaped: name) (unit \($0))" } ?? VisibleText.escaped(name)
    }
}

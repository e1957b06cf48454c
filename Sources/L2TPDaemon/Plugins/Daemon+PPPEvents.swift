import PPPEvents

/// pppd's openl2tp.so indications (docs/ppp.md, PPPEvents), handled on the
/// event loop: PPP up/down drive the session's PPP state and the plugins'
/// ppp_up/ppp_down hooks; an ACCM indication on a LAC session becomes a
/// Set-Link-Info to the peer (pppd-interop.md; RFC 2661 6.14).
extension Daemon {
    public func handlePPPEvent(_ result: Result<PPPEvent, PPPEventError>) {
        let event: PPPEvent
        switch result {
        case .success(let decoded): event = decoded
        case .failure(let error):
            // Anyone on this host can send garbage: never touch sessions.
            trace(.ppp, "ignored a datagram on the PPP event socket: \(error)")
            return
        }
        switch event {
        case .null:
            return
        case .upDown(let state):
            guard tunnels[state.tunnelID]?.sessions[state.sessionID] != nil else {
                return trace(.ppp, tunnel: state.tunnelID, "PPP \(state.isUp ? "up" : "down") for unknown session \(state.sessionID): ignored")
            }
            if state.isUp {
                logger.info("session \(state.sessionID) in tunnel \(state.tunnelID): PPP up on \(state.interfaceName) (unit \(state.unit))\(state.userName.map { " user '\($0)'" } ?? "")")
                pluginsPPPUp(tunnelID: state.tunnelID, sessionID: state.sessionID,
                             state: PluginPPPState(interfaceName: state.interfaceName, unit: state.unit, userName: state.userName))
            } else {
                logger.info("session \(state.sessionID) in tunnel \(state.tunnelID): PPP down on \(state.interfaceName)")
                pluginsPPPDown(tunnelID: state.tunnelID, sessionID: state.sessionID)
            }
        case .accm(let accm):
            guard let tunnel = tunnels[accm.tunnelID], let session = tunnel.sessions[accm.sessionID],
                  session.state == .established else {
                return trace(.ppp, tunnel: accm.tunnelID, "ACCM for session \(accm.sessionID), which is not established: ignored")
            }
            let callType = PluginSnapshots.callType(session.settings, tunnelCreatedLocally: tunnel.createdLocally)
            guard callType == .lacIncoming || callType == .lacOutgoing else {
                return trace(.ppp, tunnel: accm.tunnelID, session: accm.sessionID, "ACCM on an LNS session: no Set-Link-Info")
            }
            trace(.ppp, tunnel: accm.tunnelID, session: accm.sessionID,
                  "ACCM send 0x\(String(accm.sendACCM, radix: 16)) receive 0x\(String(accm.receiveACCM, radix: 16)): Set-Link-Info")
            perform(engine.setLinkInfo(tunnelID: accm.tunnelID, sessionID: accm.sessionID, sendACCM: accm.sendACCM,
                                       receiveACCM: accm.receiveACCM, now: clock()))
        }
    }

    /// `session show`: the PPP interface pppd reported, if PPP came up.
    func pppInterfaceText(tunnelID tid: UInt16, sessionID sid: UInt16) -> String {
        guard let state = pppState(tunnelID: tid, sessionID: sid), let name = state.interfaceName else { return "NONE" }
        return state.unit.map { "\(name) (unit \($0))" } ?? name
    }
}

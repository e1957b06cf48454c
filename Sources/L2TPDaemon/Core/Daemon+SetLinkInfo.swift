/// A peer's Set-Link-Info (RFC 2661 6.14): the LNS tells the LAC the ACCM it
/// negotiated with the PPP peer, for the LAC's async line. Our LAC sessions
/// carry PPP frames from the kernel's PPPoL2TP channel, with no HDLC line to
/// apply a mask to, so the ACCM is logged and kept for `session show`.
extension Daemon {
    func peerSetLinkInfo(tunnelID tid: UInt16, sessionID sid: UInt16, accm: PeerACCM) {
        guard let tunnel = tunnels[tid], let session = tunnel.sessions[sid] else {
            return trace(.protocolMessages, tunnel: tid, "Set-Link-Info for unknown session \(sid): ignored")
        }
        let text = "ACCM send \(Self.hex32(accm.sendACCM)) receive \(Self.hex32(accm.receiveACCM))"
        let callType = PluginSnapshots.callType(session.settings, tunnelCreatedLocally: tunnel.createdLocally)
        guard callType == .lacIncoming || callType == .lacOutgoing else {
            // Only an LNS sends it; an LNS has no line to apply it to.
            return logger.notice(
                "session \(sid) in tunnel \(tid): Set-Link-Info (\(text)) from the LAC, which only an LNS sends (RFC 2661 6.14): ignored"
            )
        }
        tunnels[tid]?.sessions[sid]?.peerACCM = accm
        logger.info("session \(sid) in tunnel \(tid): peer set \(text) (Set-Link-Info)")
    }
}

import L2TPConfig
import L2TPDataPath

/// Read-only views for `show`/`list` commands and, later, the RPC handlers.
extension Daemon {
    func showSystem(_ keywords: Set<BareKeyword>) -> String {
        var lines: [String] = []
        if keywords.isEmpty || keywords.contains(.status) {
            lines.append("L2TP service status:-")
            lines.append("  tunnels: \(tunnels.count), sessions: \(sessionCount)")
        }
        if keywords.isEmpty || keywords.contains(.configuration) {
            let s = system
            lines.append("L2TP configuration:")
            lines.append("  UDP port: \(listenAddress.port)")
            lines.append(
                "  max tunnels: \(s.maxTunnels == 0 ? "0 (unlimited)" : String(s.maxTunnels)), max sessions: \(s.maxSessions == 0 ? "0 (unlimited)" : String(s.maxSessions))"
            )
            lines.append("  max half-open tunnels: \(s.maxHalfOpenTunnels)")
            lines.append("  drain tunnels: \(yesNo(s.drainTunnels))")
            lines.append("  tunnel establish timeout: \(s.tunnelEstablishTimeout) seconds")
            lines.append("  session establish timeout: \(s.sessionEstablishTimeout) seconds")
            lines.append("  tunnel persist pend timeout: \(s.tunnelPersistPendTimeout) seconds")
            lines.append("  session persist pend timeout: \(s.sessionPersistPendTimeout) seconds")
            lines.append(
                "  deny local tunnel creation: \(yesNo(s.denyLocalTunnelCreates)), deny remote tunnel creation: \(yesNo(s.denyRemoteTunnelCreates))"
            )
            lines.append("  trace flags: \(s.traceFlags)")
        }
        if keywords.isEmpty || keywords.contains(.statistics) {
            lines.append("L2TP counters:-")
            lines.append(
                "  tunnels created: \(counters.tunnelsCreated), refused: \(counters.tunnelsRefused), recreated: \(counters.tunnelsRecreated)"
            )
            lines.append("  sessions created: \(counters.sessionsCreated), refused: \(counters.sessionsRefused)")
            lines.append("  message       RX Good    RX Bad        TX")
            for row in engine.messageStatistics {
                lines.append(
                    "  " + pad(row.name, 10) + padLeft(row.rxGood, 10) + padLeft(row.rxBad, 10) + padLeft(row.tx, 10))
            }
        }
        if keywords.contains(.version) {
            lines.append("openl2tp-swift openl2tpd")
        }
        return lines.joined(separator: "\n")
    }

    func listTunnels(_ keywords: Set<BareKeyword>) -> String {
        var rows = tunnels.values.sorted { $0.tunnelID < $1.tunnelID }
        if keywords.contains(.localOnly) { rows = rows.filter(\.createdLocally) }
        if keywords.contains(.remoteOnly) { rows = rows.filter { !$0.createdLocally } }
        if keywords.contains(.names) { return rows.compactMap(\.name).joined(separator: "\n") }
        var lines = ["    TunId             Peer            Local  PeerTId ConfigId            State"]
        for r in rows {
            let mark = r.createdLocally ? " " : "*"
            lines.append(
                mark + padLeft(r.tunnelID, 8) + padLeft(r.peer.dotted, 17) + padLeft(r.local?.dotted ?? "-", 17)
                    + padLeft(r.peerTunnelID, 9) + padLeft(r.settings.configID, 9) + padLeft(r.state.rawValue, 17))
        }
        return lines.joined(separator: "\n")
    }

    func showTunnel(_ id: UInt16) -> String {
        guard let r = tunnels[id] else { return "" }
        let s = r.settings
        return """
            Tunnel \(id), from \(r.local?.description ?? "-") to \(r.peer):-
              state: \(r.state.rawValue)
              created by admin: \(yesNo(r.createdLocally)), tunnel mode: \(r.createdLocally ? "LAC" : "LNS")
              peer tunnel id: \(r.peerTunnelID), host name: \(r.peerHostName.map { VisibleText.escaped($0) } ?? "NOT SET")
              \(s.tunnelName.map { "name: \($0)" } ?? "name: NOT SET"), config id: \(s.configID)
              persist: \(yesNo(s.persist)), auth mode: \(s.authMode.rawValue), hide AVPs: \(yesNo(s.hideAVPs))
              max sessions: \(s.maxSessions), sessions: \(r.sessions.count), mtu: \(s.mtu)
              hello timeout: \(s.helloTimeout), retry timeout: \(s.retryTimeout), max retries: \(s.maxRetries)
              trace flags: \(s.traceFlags)
              rx packets: \(r.counters.rxPackets), rx bytes: \(r.counters.rxBytes), tx packets: \(r.counters.txPackets), tx bytes: \(r.counters.txBytes)
            """ + "\n" + dataCountersText(dataPath.tunnelStatistics(tunnelID: id)) + controlStatisticsText(id)
    }

    func controlStatisticsText(_ id: UInt16) -> String {
        guard let c = engine.tunnelControlStatistics(id) else { return "" }
        return """

              control channel: \(c.state), messages sent: \(c.messagesSent), received: \(c.messagesReceived)
              retransmissions: \(c.retransmissions), ZLB sent: \(c.zlbSent), received: \(c.zlbReceived), hello sent: \(c.helloSent)
              duplicates: \(c.duplicatesReceived), out of order: \(c.outOfOrderReceived), bad: \(c.badMessagesReceived)
              unacknowledged: \(c.unacknowledged), congestion window: \(c.congestionWindow), peer window: \(c.peerWindow)
            """
    }

    func listSessions(_ tunnelID: UInt16) -> String {
        let sessions = (tunnels[tunnelID]?.sessions.values).map { $0.sorted { $0.sessionID < $1.sessionID } } ?? []
        return sessions.map { "\($0.sessionID)\t\($0.state.rawValue)\t\($0.name ?? "")" }.joined(separator: "\n")
    }

    func showSession(_ tid: UInt16, _ sid: UInt16) -> String {
        guard let s = tunnels[tid]?.sessions[sid] else { return "" }
        return """
            Session \(sid) on tunnel \(tid):-
              type: \(s.settings.sessionType?.rawValue ?? "-"), state: \(s.state.rawValue)
              created by admin: \(yesNo(s.createdLocally)), peer session id: \(s.peerSessionID)
              ppp user name: \(userNameText(tid, s) ?? "NOT SET")
              ppp interface: \(pppInterfaceText(tunnelID: tid, sessionID: sid))
              data sequencing required: \(s.settings.sequencingRequired ? "ON" : "OFF")
              use data sequence numbers: \(s.settings.useSequenceNumbers ? "ON" : "OFF")
              trace flags: \(s.settings.traceFlags)
            """ + peerCallText(tid, sid) + "\n"
                + dataCountersText(dataPath.sessionStatistics(tunnelID: tid, sessionID: sid))
    }

    /// The quick start's "Peer configuration data:-" block, from the call's messages.
    func peerCallText(_ tid: UInt16, _ sid: UInt16) -> String {
        guard let call = engine.sessionCallDetails(tunnelID: tid, sessionID: sid) else { return "" }
        func words(_ value: String?, _ all: String) -> String {
            guard let value else { return "-" }
            return value == "any" ? all : value.uppercased()
        }
        let speed = call.txConnectSpeed.map { tx in call.rxConnectSpeed.map { "\(tx):\($0)" } ?? String(tx) } ?? "-"
        return """

              Peer configuration data:-
                data sequencing required: \(call.sequencingRequired ? "ON" : "OFF")
                framing types: \(words(call.framingType, "SYNC ASYNC"))
                bearer types: \(words(call.bearerType, "DIGITAL ANALOG"))
                connect speed: \(speed)
            """
    }

    /// `data rx packets: N, rx bytes: N, rx errors: N` and the tx line (zeros when the data plane has none).
    func dataCountersText(_ statistics: DataPathStatistics?) -> String {
        let d = statistics ?? .zero
        return """
              data rx packets: \(d.rxPackets), rx bytes: \(d.rxBytes), rx errors: \(d.rxErrors)
              data tx packets: \(d.txPackets), tx bytes: \(d.txBytes), tx errors: \(d.txErrors)
            """
    }

    func listUsers() -> String {
        var lines = ["   TunId  SesId  User"]
        for t in tunnels.values.sorted(by: { $0.tunnelID < $1.tunnelID }) {
            for s in t.sessions.values.sorted(by: { $0.sessionID < $1.sessionID }) {
                if let user = userNameText(t.tunnelID, s) {
                    lines.append(padLeft(t.tunnelID, 8) + padLeft(s.sessionID, 7) + "  " + user)
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The user the peer authenticated as (pppd's report), else the
    /// configured one, escaped: peer text never reaches a terminal raw.
    func userNameText(_ tid: UInt16, _ session: SessionRecord) -> String? {
        (pppState(tunnelID: tid, sessionID: session.sessionID)?.userName ?? session.settings.userName)
            .map { VisibleText.escaped($0) }
    }

    func render(_ value: ConfigValue) -> String {
        switch value {
        case .notSet: return "NOT SET"
        case .bool(let b): return yesNo(b)
        case .integer(let n), .seconds(let n): return String(n)
        case .ipv4(let a): return a.description
        case .netmask(let m): return m.description
        case .choice(let c), .string(let c): return c
        case .traceFlags(let t): return t.description
        case .connectSpeed(let c): return c.description
        }
    }

    func yesNo(_ value: Bool) -> String { value ? "YES" : "NO" }
    func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
    func padLeft<T: CustomStringConvertible>(_ value: T, _ width: Int) -> String {
        let text = value.description
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// What the host remembers about each live tunnel, session and socket, so it
/// can deliver created -> up -> down -> deleted in order and at most once, even
/// when the daemon reports events twice, skips one, or forgets a teardown.
struct LifecycleLedger {
    enum Phase: Equatable {
        case created
        case up
        /// Down was reported (or created was never followed by up).
        case down
    }

    enum PPPPhase: Equatable {
        case notUp, up, finished
    }

    struct SessionKey: Hashable, Comparable {
        var tunnelID: UInt16
        var sessionID: UInt16

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.tunnelID, lhs.sessionID) < (rhs.tunnelID, rhs.sessionID)
        }
    }

    struct TunnelEntry {
        var info: TunnelInfo
        var phase = Phase.created
        /// Registrations (indices, in call order) that saw `created`: only
        /// they see the rest of this tunnel's life, including its sessions.
        var audience: [Int] = []
        var refusal: PluginRefusal?
        /// Authorization a plugin has yet to answer (ABI 1.2).
        var pending: PendingRequestID?
    }

    struct SessionEntry {
        var info: SessionInfo
        var phase = Phase.created
        var audience: [Int]
        var refusal: PluginRefusal?
        /// Authorization a plugin has yet to answer (ABI 1.2).
        var pending: PendingRequestID?
        /// Address allocation a plugin has yet to answer (ABI 1.2).
        var addressRequest: PendingRequestID?
        var ppp = PPPPhase.notUp
        var pppSpawnedBy: Int?
        var addresses: (registration: Int, allocation: AddressAllocation)?
    }

    struct SocketEntry {
        var info: SocketInfo
        var audience: [Int]
    }

    var tunnels: [UInt16: TunnelEntry] = [:]
    var sessions: [SessionKey: SessionEntry] = [:]
    /// Connected tunnel sockets, by tunnel id.
    var sockets: [UInt16: SocketEntry] = [:]

    func sessionKeys(inTunnel tunnelID: UInt16) -> [SessionKey] {
        sessions.keys.filter { $0.tunnelID == tunnelID }.sorted()
    }
}

extension SessionInfo {
    var key: LifecycleLedger.SessionKey { .init(tunnelID: tunnelID, sessionID: sessionID) }
}

import Synchronization

/// A data plane that carries nothing: the daemon runs the control plane only
/// (no kernel L2TP support, or tests). It keeps the same bookkeeping rules as the
/// kernel one, so a control-plane bug (a session in an unknown tunnel, a double
/// create) shows up here too, and it records every call for tests to inspect.
public final class NullDataPlane: DataPlane {
    /// One recorded call, in order.
    public enum Call: Hashable, Sendable {
        case tunnelUp(TunnelBinding)
        case tunnelDown(localTunnelID: UInt16)
        case setTunnelDebug(localTunnelID: UInt16, mask: UInt32)
        case sessionUp(SessionParameters)
        case sessionModify(localTunnelID: UInt16, localSessionID: UInt16, SessionChanges)
        case sessionDown(localTunnelID: UInt16, localSessionID: UInt16)
        case tunnelStatistics(localTunnelID: UInt16)
        case sessionStatistics(localTunnelID: UInt16, localSessionID: UInt16)
        case removeOrphanedTunnels(OrphanPolicy)
    }

    private struct SessionKey: Hashable {
        var tunnel: UInt16
        var session: UInt16
    }

    private struct State {
        var calls: [Call] = []
        var tunnels: [UInt16: TunnelBinding] = [:]
        var sessions: [SessionKey: SessionParameters] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Every call so far, oldest first (failed calls included).
    public var calls: [Call] { state.withLock { $0.calls } }

    /// Local ids of the tunnels currently up.
    public var tunnelIDs: Set<UInt16> { state.withLock { Set($0.tunnels.keys) } }

    /// The current parameters of a session that is up, with modifications applied.
    public func session(localTunnelID: UInt16, localSessionID: UInt16) -> SessionParameters? {
        state.withLock { $0.sessions[SessionKey(tunnel: localTunnelID, session: localSessionID)] }
    }

    public func tunnelUp(_ binding: TunnelBinding) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            s.calls.append(.tunnelUp(binding))
            try binding.validate()
            if s.tunnels[binding.localTunnelID] != nil {
                throw .duplicateTunnel(binding.localTunnelID)
            }
            s.tunnels[binding.localTunnelID] = binding
        }
    }

    public func tunnelDown(localTunnelID: UInt16) throws(DataPlaneError) {
        state.withLock { s in
            s.calls.append(.tunnelDown(localTunnelID: localTunnelID))
            s.tunnels[localTunnelID] = nil
            s.sessions = s.sessions.filter { $0.key.tunnel != localTunnelID }
        }
    }

    public func setTunnelDebug(localTunnelID: UInt16, mask: UInt32) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            s.calls.append(.setTunnelDebug(localTunnelID: localTunnelID, mask: mask))
            guard s.tunnels[localTunnelID] != nil else { throw .unknownTunnel(localTunnelID) }
            s.tunnels[localTunnelID]?.debugMask = mask
        }
    }

    public func sessionUp(_ parameters: SessionParameters) throws(DataPlaneError) -> SessionHandle {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> SessionHandle in
            s.calls.append(.sessionUp(parameters))
            try parameters.validate()
            guard s.tunnels[parameters.localTunnelID] != nil else {
                throw .unknownTunnel(parameters.localTunnelID)
            }
            let key = SessionKey(tunnel: parameters.localTunnelID, session: parameters.localSessionID)
            if s.sessions[key] != nil {
                throw .duplicateSession(tunnel: key.tunnel, session: key.session)
            }
            s.sessions[key] = parameters
            return SessionHandle(
                localTunnelID: parameters.localTunnelID,
                peerTunnelID: parameters.peerTunnelID,
                localSessionID: parameters.localSessionID,
                peerSessionID: parameters.peerSessionID,
                pppSocket: -1, origin: .none)
        }
    }

    public func sessionModify(
        localTunnelID: UInt16, localSessionID: UInt16,
        _ changes: SessionChanges
    ) throws(DataPlaneError) {
        try state.withLock { (s: inout State) throws(DataPlaneError) in
            s.calls.append(
                .sessionModify(
                    localTunnelID: localTunnelID,
                    localSessionID: localSessionID, changes))
            let key = SessionKey(tunnel: localTunnelID, session: localSessionID)
            guard var p = s.sessions[key] else {
                throw .unknownSession(tunnel: localTunnelID, session: localSessionID)
            }
            if let v = changes.sendSequenceNumbers { p.sendSequenceNumbers = v }
            if let v = changes.requireSequenceNumbers { p.requireSequenceNumbers = v }
            if let v = changes.lnsMode { p.lnsMode = v }
            if let v = changes.reorderTimeoutMilliseconds { p.reorderTimeoutMilliseconds = v }
            if let v = changes.debugMask { p.debugMask = v }
            s.sessions[key] = p
        }
    }

    public func sessionDown(_ handle: SessionHandle) throws(DataPlaneError) {
        state.withLock { s in
            s.calls.append(
                .sessionDown(
                    localTunnelID: handle.localTunnelID,
                    localSessionID: handle.localSessionID))
            s.sessions[SessionKey(tunnel: handle.localTunnelID, session: handle.localSessionID)] = nil
        }
    }

    public func tunnelStatistics(localTunnelID: UInt16) throws(DataPlaneError) -> DataPathStatistics {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> DataPathStatistics in
            s.calls.append(.tunnelStatistics(localTunnelID: localTunnelID))
            guard s.tunnels[localTunnelID] != nil else { throw .unknownTunnel(localTunnelID) }
            return .zero
        }
    }

    public func sessionStatistics(
        localTunnelID: UInt16,
        localSessionID: UInt16
    ) throws(DataPlaneError) -> DataPathStatistics {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> DataPathStatistics in
            s.calls.append(.sessionStatistics(localTunnelID: localTunnelID, localSessionID: localSessionID))
            guard s.sessions[SessionKey(tunnel: localTunnelID, session: localSessionID)] != nil else {
                throw .unknownSession(tunnel: localTunnelID, session: localSessionID)
            }
            return .zero
        }
    }

    /// Nothing is ever left in a kernel that was never used.
    public func removeOrphanedTunnels(_ policy: OrphanPolicy) throws(DataPlaneError) -> [UInt32] {
        try state.withLock { (s: inout State) throws(DataPlaneError) -> [UInt32] in
            s.calls.append(.removeOrphanedTunnels(policy))
            try policy.validate()
            return []
        }
    }
}

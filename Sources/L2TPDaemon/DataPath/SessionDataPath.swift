import L2TPDataPath

/// Where data packets of established sessions go. The daemon talks to this
/// small seam; `DataPlaneSessionDataPath` adapts L2TPDataPath's `DataPlane`
/// (`KernelDataPlane`: netlink TUNNEL_CREATE on the tunnel's own socket,
/// SESSION_CREATE and a PPPoL2TP socket; `NullDataPlane`: nothing flows).
/// Calls come from the event loop in hook order: tunnel up, session up,
/// session down, tunnel down; a tunnel going down takes the sessions still
/// in it (its sessions' own `sessionDown` is then skipped).
public protocol SessionDataPath: AnyObject {
    /// A human-readable name for logs ("null", "kernel").
    var name: String { get }
    /// The tunnel is established; `socket` is its connected UDP fd (TUNNEL_CREATE FD).
    func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?, settings: TunnelSettings) throws(DaemonError)
    func sessionUp(
        tunnelID: UInt16, peerTunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16,
        isLNS: Bool, settings: SessionSettings) throws(DaemonError)
    func sessionDown(tunnelID: UInt16, sessionID: UInt16)
    func tunnelDown(tunnelID: UInt16)
    /// The PPPoL2TP socket pppd gets for a session (ppp plugin), if any.
    func pppSocket(tunnelID: UInt16, sessionID: UInt16) -> Int32?
    /// Whether data packets really flow (kernel), so their counters mean something.
    var carriesData: Bool { get }
    /// Data packets the tunnel received so far, nil if unknown.
    func receivedPackets(tunnelID: UInt16) -> UInt64?
    /// The data plane's counters of an established session (`session show`),
    /// nil when the data plane holds no such session.
    func sessionStatistics(tunnelID: UInt16, sessionID: UInt16) -> DataPathStatistics?
    /// The data plane's counters of an established tunnel (`tunnel show`).
    func tunnelStatistics(tunnelID: UInt16) -> DataPathStatistics?
}

extension SessionDataPath {
    /// Paths that count nothing (test doubles) report no statistics.
    public func sessionStatistics(tunnelID: UInt16, sessionID: UInt16) -> DataPathStatistics? { nil }
    public func tunnelStatistics(tunnelID: UInt16) -> DataPathStatistics? { nil }
}

/// The daemon's side of L2TPDataPath: keeps the session handles (their
/// PPPoL2TP sockets) until the session goes down.
public final class DataPlaneSessionDataPath: SessionDataPath {
    public let dataPlane: any DataPlane
    public let name: String
    private var handles: [UInt32: SessionHandle] = [:]

    public init(_ dataPlane: any DataPlane, name: String) {
        self.dataPlane = dataPlane
        self.name = name
    }

    /// The kernel data path when the kernel has one, else the null one, and
    /// the one line to log about it (said once, at start).
    public static func probe() -> (path: DataPlaneSessionDataPath, message: String, available: Bool) {
        let availability = DataPlaneAvailability.probe()
        if availability.isAvailable {
            do {
                return (
                    DataPlaneSessionDataPath(try KernelDataPlane(), name: "kernel"), availability.operatorMessage, true
                )
            } catch {
                let message = DataPlaneAvailability.unavailable(reason: error.description).operatorMessage
                return (DataPlaneSessionDataPath(NullDataPlane(), name: "null"), message, false)
            }
        }
        return (DataPlaneSessionDataPath(NullDataPlane(), name: "null"), availability.operatorMessage, false)
    }

    private static func key(_ tunnel: UInt16, _ session: UInt16) -> UInt32 { UInt32(tunnel) << 16 | UInt32(session) }

    public func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?, settings: TunnelSettings)
        throws(DaemonError)
    {
        guard let socket else { throw .invalidCommand("tunnel \(tunnelID) has no socket of its own") }
        let debug = settings.traceFlags.contains(.data) ? UInt32(0xFF) : nil
        do {
            try dataPlane.tunnelUp(
                TunnelBinding(
                    localTunnelID: tunnelID, peerTunnelID: peerTunnelID, udpSocket: socket,
                    udpChecksums: settings.useUDPChecksums, debugMask: debug))
        } catch {
            throw .invalidCommand(error.description)
        }
    }

    public func sessionUp(
        tunnelID: UInt16, peerTunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16,
        isLNS: Bool, settings: SessionSettings
    ) throws(DaemonError) {
        let parameters = L2TPDataPath.SessionParameters(
            localTunnelID: tunnelID, peerTunnelID: peerTunnelID, localSessionID: sessionID,
            peerSessionID: peerSessionID,
            sendSequenceNumbers: settings.useSequenceNumbers, requireSequenceNumbers: settings.sequencingRequired,
            lnsMode: isLNS, reorderTimeoutMilliseconds: UInt32(clamping: settings.reorderTimeout),
            debugMask: settings.traceFlags.contains(.data) ? 0xFF : 0)
        do {
            handles[Self.key(tunnelID, sessionID)] = try dataPlane.sessionUp(parameters)
        } catch {
            throw .invalidCommand(error.description)
        }
    }

    public func sessionDown(tunnelID: UInt16, sessionID: UInt16) {
        guard let handle = handles.removeValue(forKey: Self.key(tunnelID, sessionID)) else { return }
        try? dataPlane.sessionDown(handle)
    }

    /// The data plane removes the tunnel with every session still in it
    /// (the kernel: one TUNNEL_DELETE; our PPPoL2TP sockets closed), so a
    /// tunnel with 100 sessions is one netlink request, not 101.
    public func tunnelDown(tunnelID: UInt16) {
        handles = handles.filter { $0.key >> 16 != UInt32(tunnelID) }
        try? dataPlane.tunnelDown(localTunnelID: tunnelID)
    }

    public var carriesData: Bool { name == "kernel" }

    public func receivedPackets(tunnelID: UInt16) -> UInt64? {
        guard carriesData else { return nil }
        return try? dataPlane.tunnelStatistics(localTunnelID: tunnelID).rxPackets
    }

    /// Asks the data plane each time (the kernel's counters over netlink
    /// L2TP_CMD_SESSION_GET; zeros from the null plane), so the numbers are
    /// the kernel's own and never a copy that went stale.
    public func sessionStatistics(tunnelID: UInt16, sessionID: UInt16) -> DataPathStatistics? {
        guard handles[Self.key(tunnelID, sessionID)] != nil else { return nil }
        return try? dataPlane.sessionStatistics(localTunnelID: tunnelID, localSessionID: sessionID)
    }

    public func tunnelStatistics(tunnelID: UInt16) -> DataPathStatistics? {
        try? dataPlane.tunnelStatistics(localTunnelID: tunnelID)
    }

    public func pppSocket(tunnelID: UInt16, sessionID: UInt16) -> Int32? {
        handles[Self.key(tunnelID, sessionID)].flatMap { $0.pppSocket >= 0 ? $0.pppSocket : nil }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where data packets of established sessions go: the daemon's minimal seam
/// until L2TPDataPath's `DataPlane` (the `vm` branch: netlink TUNNEL_CREATE /
/// SESSION_CREATE on the tunnel's own socket) is merged; its adapter will
/// conform to this protocol. Calls come from the event loop in hook order:
/// tunnel up, session up, session down, tunnel down.
public protocol SessionDataPath: AnyObject {
    /// A human-readable name for logs ("null", "kernel").
    var name: String { get }
    /// The tunnel is established; `socket` is its UDP fd (TUNNEL_CREATE FD).
    func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?) throws(DaemonError)
    func sessionUp(tunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16, settings: SessionSettings) throws(DaemonError)
    func sessionDown(tunnelID: UInt16, sessionID: UInt16)
    func tunnelDown(tunnelID: UInt16)
}

/// Carries no data: control-plane testing, and hosts whose kernel has no
/// L2TP support. It still records what is up, so tests and `show` agree.
public final class NullSessionDataPath: SessionDataPath {
    public let name = "null"
    public private(set) var tunnels: Set<UInt16> = []
    public private(set) var sessions: Set<UInt32> = []

    public init() {}

    public func tunnelUp(tunnelID: UInt16, peerTunnelID: UInt16, socket: Int32?) throws(DaemonError) { tunnels.insert(tunnelID) }
    public func sessionUp(tunnelID: UInt16, sessionID: UInt16, peerSessionID: UInt16, settings: SessionSettings) throws(DaemonError) {
        sessions.insert(UInt32(tunnelID) << 16 | UInt32(sessionID))
    }
    public func sessionDown(tunnelID: UInt16, sessionID: UInt16) { sessions.remove(UInt32(tunnelID) << 16 | UInt32(sessionID)) }
    public func tunnelDown(tunnelID: UInt16) {
        tunnels.remove(tunnelID)
        sessions = sessions.filter { $0 >> 16 != UInt32(tunnelID) }
    }
}

/// Whether this kernel can carry L2TP data, found once at start.
public enum KernelL2TPSupport: Hashable, Sendable {
    case available
    /// Why not, for the one clear log line.
    case unavailable(String)

    /// Probes for PPPoL2TP sockets (AF_PPPOX 24, PX_PROTO_OL2TP 1): the
    /// piece every L2TPv2 PPP session needs (kernel-l2tp.md). Creating one
    /// also autoloads the l2tp_ppp module where module loading is allowed.
    public static func probe() -> KernelL2TPSupport {
        let fd = socket(24, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 1)
        if fd >= 0 {
            close(fd)
            return .available
        }
        return .unavailable("PPPoL2TP sockets: \(errnoText(errno))")
    }
}

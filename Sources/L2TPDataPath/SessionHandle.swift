/// A session the datapath carries, with the PPPoL2TP socket to hand to pppd
/// (`plugin pppol2tp.so pppol2tp <fd>`).
///
/// The data plane owns `pppSocket` until `DataPlane.sessionDown`: it is
/// close-on-exec, so the daemon passes it to pppd by dup2-ing it onto the child's
/// fd (which clears close-on-exec on the copy only) and keeps its own copy open.
public struct SessionHandle: Hashable, Sendable {
    /// How the kernel session came to exist.
    public enum Origin: Hashable, Sendable {
        /// SESSION_CREATE over generic netlink, then a PPPoL2TP connect to it.
        case netlink
        /// The kernel lacks L2TPv3 PPP pseudowires over netlink (EPROTONOSUPPORT):
        /// the PPPoL2TP connect created the session; options go via setsockopt.
        case pppol2tpConnect
        /// No kernel involved (`NullDataPlane`).
        case none
    }

    public let localTunnelID: UInt16
    public let peerTunnelID: UInt16
    public let localSessionID: UInt16
    public let peerSessionID: UInt16
    /// The connected PPPoL2TP socket, or -1 when there is no kernel datapath.
    public let pppSocket: Int32
    public let origin: Origin

    public init(
        localTunnelID: UInt16, peerTunnelID: UInt16, localSessionID: UInt16,
        peerSessionID: UInt16, pppSocket: Int32, origin: Origin
    ) {
        self.localTunnelID = localTunnelID
        self.peerTunnelID = peerTunnelID
        self.localSessionID = localSessionID
        self.peerSessionID = peerSessionID
        self.pppSocket = pppSocket
        self.origin = origin
    }
}

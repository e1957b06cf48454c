/// The seam between the L2TP control plane and whatever carries data packets.
///
/// The daemon calls it when a tunnel reaches established (after SCCCN, RFC 2661
/// 5.1), when a session is established (after ICCN/OCCN, RFC 2661 5.2), when the
/// peer changes data options (SLI/Sequencing), and on teardown. `KernelDataPlane`
/// drives the Linux kernel; `NullDataPlane` runs the control plane alone.
///
/// Down operations are idempotent: a tunnel or session the kernel already removed
/// (its UDP socket closed, pppd exited) is not an error.
public protocol DataPlane: Sendable {
    /// Lets the kernel carry data packets of this tunnel on `binding.udpSocket`.
    func tunnelUp(_ binding: TunnelBinding) throws(DataPlaneError)

    /// Removes the tunnel and every session in it.
    func tunnelDown(localTunnelID: UInt16) throws(DataPlaneError)

    /// Changes the kernel debug mask of a tunnel.
    func setTunnelDebug(localTunnelID: UInt16, mask: UInt32) throws(DataPlaneError)

    /// Creates a PPP session and returns its PPPoL2TP socket for pppd.
    func sessionUp(_ parameters: SessionParameters) throws(DataPlaneError) -> SessionHandle

    /// Changes sequencing, LNS mode, reorder timeout or debug mask of a session.
    func sessionModify(
        localTunnelID: UInt16, localSessionID: UInt16,
        _ changes: SessionChanges) throws(DataPlaneError)

    /// Removes the session and closes its PPPoL2TP socket.
    func sessionDown(_ handle: SessionHandle) throws(DataPlaneError)

    func tunnelStatistics(localTunnelID: UInt16) throws(DataPlaneError) -> DataPathStatistics

    func sessionStatistics(
        localTunnelID: UInt16,
        localSessionID: UInt16
    ) throws(DataPlaneError) -> DataPathStatistics

    /// Deletes kernel tunnels an earlier, crashed run left behind, as chosen by
    /// `policy` (see `OrphanPolicy` for the rule). Returns the tunnel ids removed.
    func removeOrphanedTunnels(_ policy: OrphanPolicy) throws(DataPlaneError) -> [UInt32]
}

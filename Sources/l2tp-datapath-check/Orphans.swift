import CL2TPKernel
import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Plays a daemon that dies with a tunnel up: creates tunnel `id` on a UDP socket
/// bound to `port` in `netns`; with `leak`, a child (`sleep`) inherits the socket,
/// as pppd would through a missing close-on-exec, so the tunnel outlives us.
/// Prints "ready CHILD_PID" (0 without `leak`) and waits to be killed.
func makeOrphan(netns: String, port: UInt16, tunnelID: UInt16, leak: Bool) throws -> Never {
    try enterNetns(netns)
    let fd = try udpSocket(local: lac.address, localPort: port, peer: lns.address, peerPort: port)
    let plane = try KernelDataPlane()
    try plane.tunnelUp(TunnelBinding(localTunnelID: tunnelID, peerTunnelID: tunnelID + 1, udpSocket: fd))
    var child: pid_t = 0
    if leak { child = try spawn(["sleep", "600"], inherit: fd) }
    print("ready \(child)")
    fflush(nil)
    while true { pause() }
}

/// What the next daemon run does at start: remove tunnels matching the rule.
func cleanOrphans(netns: String, port: UInt16, keep: Set<UInt32>) throws {
    try enterNetns(netns)
    let plane = try KernelDataPlane()
    let removed = try plane.removeOrphanedTunnels(OrphanPolicy(localPort: port, keepTunnelIDs: keep))
    print("removed \(removed.sorted().map(String.init).joined(separator: " "))")
}

import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The two ends of the in-VM test network: namespaces joined by a veth pair
/// (made by Tests/vm/datapath.sh), each with a UDP socket connected to the other.
struct Peer {
    var netns: String
    var address: String
    var tunnelID: UInt16
    var sessionID: UInt16
    var pppAddress: String
}

let lac = Peer(netns: "dp-lac", address: "10.88.0.1", tunnelID: 100, sessionID: 1000, pppAddress: "10.77.0.1")
let lns = Peer(netns: "dp-lns", address: "10.88.0.2", tunnelID: 200, sessionID: 2000, pppAddress: "10.77.0.2")

/// Tunnel, session, PPPoL2TP, stats, modify and delete against the real kernel,
/// cross-checked with iproute2's view (`ip l2tp show`).
func runDatapathScenario(withPPP: Bool) throws {
    // MARK: Tunnels on each end's own UDP socket
    try enterNetns(lac.netns)
    let lacSocket = try udpSocket(local: lac.address, localPort: 1701, peer: lns.address, peerPort: 1701)
    let lacPlane = try KernelDataPlane()
    try enterNetns(lns.netns)
    let lnsSocket = try udpSocket(local: lns.address, localPort: 1701, peer: lac.address, peerPort: 1701)
    let lnsPlane = try KernelDataPlane()

    try lacPlane.tunnelUp(TunnelBinding(localTunnelID: lac.tunnelID, peerTunnelID: lns.tunnelID, udpSocket: lacSocket))
    try lnsPlane.tunnelUp(
        TunnelBinding(
            localTunnelID: lns.tunnelID, peerTunnelID: lac.tunnelID,
            udpSocket: lnsSocket, debugMask: 0))
    let shown = shell("ip -n \(lac.netns) l2tp show tunnel")
    try expect(
        shown.contains("Tunnel 100, encap UDP") && shown.contains("Peer tunnel 200"),
        "ip l2tp show tunnel in \(lac.netns):\n\(shown)")
    try expect(
        shown.contains("From 10.88.0.1 to 10.88.0.2") && shown.contains("UDP source / dest ports: 1701/1701"),
        "tunnel addresses in \(lac.netns):\n\(shown)")
    let shownB = shell("ip -n \(lns.netns) l2tp show tunnel")
    try expect(
        shownB.contains("Tunnel 200, encap UDP") && shownB.contains("Peer tunnel 100"),
        "ip l2tp show tunnel in \(lns.netns):\n\(shownB)")
    let listed = try lacPlane.tunnels()
    try expect(
        listed.count == 1 && listed[0].tunnelID == 100 && listed[0].peerTunnelID == 200
            && listed[0].localEndpoint == .init(address: [10, 88, 0, 1], port: 1701)
            && listed[0].peerEndpoint == .init(address: [10, 88, 0, 2], port: 1701),
        "tunnel dump: \(listed)")
    pass("tunnels 100<->200 created on the UDP sockets; ip l2tp and TUNNEL_GET dump agree")

    // MARK: Kernel errors are typed
    do {
        try lacPlane.tunnelUp(TunnelBinding(localTunnelID: 101, peerTunnelID: 201, udpSocket: lacSocket))
        throw CheckFailure(description: "a second tunnel on the same socket was accepted")
    } catch let error as DataPlaneError {
        try expect(error.errno == EBUSY || error.errno == EEXIST, "second tunnel on socket: \(error)")
        pass("second tunnel on one socket refused: \(error)")
    }
    try enterNetns(lac.netns)
    let sharedSocket = try udpSocket(
        local: lac.address, localPort: 1703, peer: lns.address, peerPort: 1703,
        reusePort: true)
    defer { close(sharedSocket) }
    // Kernels differ here (6.1 accepts it): report, do not judge.
    do {
        try lacPlane.tunnelUp(TunnelBinding(localTunnelID: 102, peerTunnelID: 202, udpSocket: sharedSocket))
        try lacPlane.tunnelDown(localTunnelID: 102)
        print("check: note: this kernel accepts tunnels on SO_REUSEPORT sockets")
    } catch {
        print("check: note: tunnel on an SO_REUSEPORT socket refused: \(error)")
    }
    do {
        _ = try lacPlane.sessionUp(
            SessionParameters(
                localTunnelID: 999, peerTunnelID: 1,
                localSessionID: 1, peerSessionID: 1))
        throw CheckFailure(description: "a session in a missing tunnel was accepted")
    } catch let error as DataPlaneError {
        try expect(
            error.errno == ENODEV && error.operation?.hasPrefix("SESSION_CREATE") == true,
            "session in missing tunnel: \(error)")
        pass("session in a missing tunnel refused: \(error)")
    }

    // MARK: Sessions and PPPoL2TP sockets
    let lacSession = try lacPlane.sessionUp(
        SessionParameters(
            localTunnelID: lac.tunnelID, peerTunnelID: lns.tunnelID,
            localSessionID: lac.sessionID, peerSessionID: lns.sessionID))
    let lnsSession = try lnsPlane.sessionUp(
        SessionParameters(
            localTunnelID: lns.tunnelID, peerTunnelID: lac.tunnelID,
            localSessionID: lns.sessionID, peerSessionID: lac.sessionID,
            lnsMode: true, reorderTimeoutMilliseconds: 200))
    try expect(lacSession.pppSocket >= 0 && lnsSession.pppSocket >= 0, "PPPoL2TP sockets: \(lacSession) \(lnsSession)")
    try expect(fcntl(lacSession.pppSocket, F_GETFD) & FD_CLOEXEC != 0, "PPPoL2TP socket is not close-on-exec")
    // Only the fd given to pppd may be inherited: nothing of ours leaks into children.
    let leaking = (3..<1024).filter { fd in
        let flags = fcntl(Int32(fd), F_GETFD)
        return flags >= 0 && flags & FD_CLOEXEC == 0
    }
    try expect(leaking.isEmpty, "fds without close-on-exec: \(leaking)")
    let sessions = shell("ip -n \(lac.netns) l2tp show session")
    try expect(
        sessions.contains("Session 1000 in tunnel 100") && sessions.contains("Peer session 2000, tunnel 200"),
        "ip l2tp show session in \(lac.netns):\n\(sessions)")
    let lnsInfo = try lnsPlane.session(tunnelID: 200, sessionID: 2000)
    try expect(
        lnsInfo.lnsMode && (200...210).contains(lnsInfo.reorderTimeoutMilliseconds) && lnsInfo.pseudowireType == 7
            && lnsInfo.peerSessionID == 1000, "LNS session as the kernel sees it: \(lnsInfo)")
    pass(
        "sessions 1000<->2000 created (\(lacSession.origin)); PPPoL2TP sockets connected; every fd (netlink, netns, PPPoL2TP) close-on-exec"
    )

    // MARK: Modify
    try lacPlane.sessionModify(
        localTunnelID: 100, localSessionID: 1000,
        SessionChanges(sendSequenceNumbers: true, requireSequenceNumbers: true))
    let modified = shell("ip -n \(lac.netns) l2tp show session")
    try expect(modified.contains("sequence numbering: send recv"), "after modify:\n\(modified)")
    let info = try lacPlane.session(tunnelID: 100, sessionID: 1000)
    try expect(info.sendSequenceNumbers && info.requireSequenceNumbers, "SESSION_GET after modify: \(info)")
    // Kernels since 5.x accept but no longer keep debug masks: only the request is checked.
    try lacPlane.setTunnelDebug(localTunnelID: 100, mask: 0xff)
    try lacPlane.sessionModify(
        localTunnelID: 100, localSessionID: 1000,
        SessionChanges(sendSequenceNumbers: false, requireSequenceNumbers: false))
    pass("SESSION_MODIFY sequencing visible in ip l2tp show session; TUNNEL_MODIFY debug accepted")

    // MARK: The older path: the PPPoL2TP connect creates the session
    try enterNetns(lac.netns)
    let implicitPlane = try KernelDataPlane(sessionCreation: .pppol2tpConnect)
    let implicit = try implicitPlane.sessionUp(
        SessionParameters(
            localTunnelID: lac.tunnelID, peerTunnelID: lns.tunnelID, localSessionID: 1001, peerSessionID: 2001,
            sendSequenceNumbers: true))
    try expect(implicit.origin == .pppol2tpConnect, "implicit session origin: \(implicit.origin)")
    let implicitInfo = try implicitPlane.session(tunnelID: 100, sessionID: 1001)
    try expect(
        implicitInfo.peerSessionID == 2001 && implicitInfo.sendSequenceNumbers,
        "implicit session as the kernel sees it: \(implicitInfo)")
    try implicitPlane.sessionModify(
        localTunnelID: 100, localSessionID: 1001,
        SessionChanges(sendSequenceNumbers: false, lnsMode: true))
    let implicitModified = try implicitPlane.session(tunnelID: 100, sessionID: 1001)
    try expect(
        !implicitModified.sendSequenceNumbers && implicitModified.lnsMode,
        "implicit session after setsockopt modify: \(implicitModified)")
    try implicitPlane.sessionDown(implicit)
    try expect(!shell("ip -n \(lac.netns) l2tp show session").contains("Session 1001"), "session 1001 still shown")
    pass("PPPoL2TP-connect session path: created, options via setsockopt, deleted")

    // MARK: Data through pppd
    if withPPP {
        try runPPP(lacSession: lacSession, lnsSession: lnsSession)
        let stats = try lacPlane.sessionStatistics(localTunnelID: 100, localSessionID: 1000)
        let tstats = try lacPlane.tunnelStatistics(localTunnelID: 100)
        try expect(
            stats.txPackets > 0 && stats.rxPackets > 0 && stats.txBytes > 0,
            "session stats after ping: \(stats)")
        try expect(tstats.txPackets >= stats.txPackets, "tunnel stats after ping: \(tstats)")
        pass(
            "session stats count the traffic: tx \(stats.txPackets) pkts/\(stats.txBytes) B, rx \(stats.rxPackets) pkts"
        )
    } else {
        let stats = try lacPlane.sessionStatistics(localTunnelID: 100, localSessionID: 1000)
        _ = try lacPlane.tunnelStatistics(localTunnelID: 100)
        pass("statistics readable: \(stats)")
    }

    // MARK: Teardown
    try lacPlane.sessionDown(lacSession)
    try expect(!shell("ip -n \(lac.netns) l2tp show session").contains("Session 1000"), "session 1000 still shown")
    try lacPlane.sessionDown(lacSession)  // idempotent
    try lacPlane.tunnelDown(localTunnelID: 100)
    try lnsPlane.tunnelDown(localTunnelID: 200)  // takes session 2000 with it
    try expect(shell("ip -n \(lac.netns) l2tp show tunnel").isEmpty, "tunnel still in \(lac.netns)")
    try expect(try lnsPlane.tunnels().isEmpty && lnsPlane.sessions().isEmpty, "tunnel or session still in \(lns.netns)")
    try lnsPlane.tunnelDown(localTunnelID: 200)  // idempotent
    close(lacSocket)
    close(lnsSocket)
    pass("sessions and tunnels deleted; down operations idempotent")
}

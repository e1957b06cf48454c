import L2TPDataPath

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// pppd on each end over our PPPoL2TP sockets, then a ping across ppp0: the
/// kernel datapath end to end.
func runPPP(lacSession: SessionHandle, lnsSession: SessionHandle) throws {
    func pppd(_ peer: Peer, _ remote: Peer, _ handle: SessionHandle, lnsMode: Bool) throws -> pid_t {
        var argv = [
            "ip", "netns", "exec", peer.netns, "pppd", "plugin", "pppol2tp.so", "pppol2tp", "3",
            "pppol2tp_tunnel_id", "\(handle.localTunnelID)",
            "pppol2tp_session_id", "\(handle.localSessionID)",
            "noauth", "nodetach", "noccp", "novj", "nodeflate", "nobsdcomp",
            "nodefaultroute", "noipdefault", "mtu", "1400", "mru", "1400",
            "lcp-echo-interval", "0", "ifname", "ppp-\(peer.netns)",
            "ip-up-script", "/bin/true", "ip-down-script", "/bin/true",
            "logfile", "/tmp/pppd-\(peer.netns).log",
            "\(peer.pppAddress):\(remote.pppAddress)",
        ]
        if lnsMode { argv.insert("pppol2tp_lns_mode", at: 13) }
        return try spawn(argv, inherit: handle.pppSocket)
    }
    let lacPID = try pppd(lac, lns, lacSession, lnsMode: false)
    let lnsPID = try pppd(lns, lac, lnsSession, lnsMode: true)
    defer {
        kill(lacPID, SIGTERM)
        kill(lnsPID, SIGTERM)
        var status: Int32 = 0
        waitpid(lacPID, &status, 0)
        waitpid(lnsPID, &status, 0)
    }
    var exited = false
    let up = waitFor(seconds: 40) {
        var status: Int32 = 0
        if waitpid(lacPID, &status, WNOHANG) != 0 || waitpid(lnsPID, &status, WNOHANG) != 0 {
            exited = true
            return true
        }
        return shell("ip -n \(lac.netns) addr show dev ppp-\(lac.netns)").contains("inet \(lac.pppAddress)")
            && shell("ip -n \(lns.netns) addr show dev ppp-\(lns.netns)").contains("inet \(lns.pppAddress)")
    }
    if !up || exited {
        print(shell("cat /tmp/pppd-\(lac.netns).log /tmp/pppd-\(lns.netns).log"))
    }
    try expect(!exited, "pppd exited early")
    try expect(up, "ppp interfaces did not come up within 40 s")
    pass("pppd on both ends brought up ppp-\(lac.netns) and ppp-\(lns.netns) over the PPPoL2TP sockets")
    let ping = shell("ip netns exec \(lac.netns) ping -c 3 -i 0.3 -W 3 \(lns.pppAddress)")
    try expect(ping.contains(" 0% packet loss"), "ping over PPP/L2TP:\n\(ping)")
    pass("ping \(lac.pppAddress) -> \(lns.pppAddress) across the L2TP session: 0% loss")
}

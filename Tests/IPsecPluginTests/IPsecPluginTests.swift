import Foundation
import L2TPPluginHost
import TestSupport
import Testing

/// Drives the built libipsec.so through PluginHost inside a network namespace
/// and checks the kernel's XFRM policy table with `ip xfrm policy list`.
@Suite(.enabled(if: NetworkNamespace.isAvailable, "needs root for ip netns and XFRM"))
struct IPsecPluginTests {
    static func tunnel(_ id: UInt16) -> TunnelInfo {
        TunnelInfo(
            tunnelID: id, peerTunnelID: id + 100, localAddress: "10.1.0.1", localPort: 1701,
            peerAddress: "10.1.0.2", peerPort: 1701, createdByPeer: true)
    }

    static func socket(_ id: UInt16, localPort: UInt16 = 1701, peerPort: UInt16) -> SocketInfo {
        SocketInfo(
            tunnelID: id, localAddress: "10.1.0.1", localPort: localPort, peerAddress: "10.1.0.2", peerPort: peerPort)
    }

    static func policyPair(
        local: String = "10.1.0.1", localPort: UInt16 = 1701, peer: String = "10.1.0.2", peerPort: UInt16,
        priority: UInt32 = 1701, template: String = "esp transport reqid 0"
    ) -> [String] {
        [
            "out \(local)/32:\(localPort) > \(peer)/32:\(peerPort) udp priority \(priority) \(template)",
            "in \(peer)/32:\(peerPort) > \(local)/32:\(localPort) udp priority \(priority) \(template)",
        ]
    }

    @Test func policiesFollowEachTunnelSocketIncludingTwoTunnelsToOnePeerAddress() throws {
        let namespace = try NetworkNamespace()
        let recorder = DaemonRecorder()
        let plugin = try BuiltPlugin.path("ipsec")
        let stages = try namespace.run { () -> [[String]] in
            let host = recorder.makeHost()
            try host.load(plugin)
            var stages = [try namespace.policies()]
            // The L2TP/IPsec-behind-NAT case: one peer address, two source ports.
            _ = host.tunnelCreated(Self.tunnel(1))
            host.socketConnected(Self.socket(1, peerPort: 40001))
            _ = host.tunnelCreated(Self.tunnel(2))
            host.socketConnected(Self.socket(2, localPort: 34567, peerPort: 40002))
            stages.append(try namespace.policies())
            host.socketDisconnected(Self.socket(1, peerPort: 40001))
            stages.append(try namespace.policies())
            host.tunnelDeleted(Self.tunnel(2))  // the host disconnects the socket first
            stages.append(try namespace.policies())
            host.unloadAll()
            return stages
        }
        #expect(stages[0] == [])
        #expect(
            stages[1]
                == (Self.policyPair(peerPort: 40001) + Self.policyPair(localPort: 34567, peerPort: 40002)).sorted())
        #expect(stages[2] == Self.policyPair(localPort: 34567, peerPort: 40002).sorted())
        #expect(stages[3] == [])
        #expect(recorder.receivedActions == [])
        #expect(!recorder.logMessages.contains { $0.level == .error })
    }

    /// The policies really apply: with no SA (this kernel has no ESP, and no
    /// IKE daemon runs) the tunnel's exact flow is blocked both ways while the
    /// same addresses on another port pass, and the flow passes again once
    /// the socket is disconnected.
    @Test func theTunnelsFlowAndOnlyItNeedsESP() throws {
        let local = try NetworkNamespace()
        let peer = try NetworkNamespace()
        try local.link(to: peer, localAddress: "10.1.0.1", peerAddress: "10.1.0.2")
        let peerSockets = try peer.run {
            [try UDPProbe(bindTo: "10.1.0.2", port: 40001), try UDPProbe(bindTo: "10.1.0.2", port: 40002)]
        }
        let plugin = try BuiltPlugin.path("ipsec")
        let recorder = DaemonRecorder()
        let seen = try local.run { () -> [String: String] in
            let host = recorder.makeHost()
            try host.load(plugin)
            let tunnelSocket = try UDPProbe(bindTo: "10.1.0.1", port: 1701)
            func exchange(_ label: String, into seen: inout [String: String]) throws {
                for (index, probe) in peerSockets.enumerated() {
                    let tag = "\(label) out \(40001 + index)"
                    try tunnelSocket.send(tag, to: "10.1.0.2", port: UInt16(40001 + index))
                    seen[tag] = probe.receive(timeout: index == 0 && label == "protected" ? 0.5 : 3) ?? "-"
                }
                for (index, probe) in peerSockets.enumerated() {
                    let tag = "\(label) in \(40001 + index)"
                    try probe.send(tag, to: "10.1.0.1", port: 1701)
                    seen[tag] = tunnelSocket.receive(timeout: index == 0 && label == "protected" ? 0.5 : 3) ?? "-"
                }
            }
            var seen: [String: String] = [:]
            _ = host.tunnelCreated(Self.tunnel(1))
            host.socketConnected(Self.socket(1, peerPort: 40001))
            try exchange("protected", into: &seen)
            host.socketDisconnected(Self.socket(1, peerPort: 40001))
            try exchange("released", into: &seen)
            host.unloadAll()
            return seen
        }
        #expect(
            seen == [
                "protected out 40001": "-", "protected out 40002": "protected out 40002",
                "protected in 40001": "-", "protected in 40002": "protected in 40002",
                "released out 40001": "released out 40001", "released out 40002": "released out 40002",
                "released in 40001": "released in 40001", "released in 40002": "released in 40002",
            ])
    }

    @Test func leftoversAreRemovedAtLoadAndForeignPoliciesAreKept() throws {
        let namespace = try NetworkNamespace()
        // A leftover of a crashed run: our shape and our priority.
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.9.0.1/32", "dst", "10.9.0.2/32", "proto", "udp", "sport", "1701",
            "dport", "50000", "dir", "out", "priority", "1701", "tmpl", "proto", "esp", "mode", "transport")
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.9.0.2/32", "dst", "10.9.0.1/32", "proto", "udp", "sport", "50000",
            "dport", "1701", "dir", "in", "priority", "1701", "tmpl", "proto", "esp", "mode", "transport")
        // Foreign: hand-written without our priority; our priority but TCP; our
        // priority but tunnel mode.
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.9.0.1/32", "dst", "10.9.0.2/32", "proto", "udp", "sport", "1701",
            "dport", "50001", "dir", "out", "tmpl", "proto", "esp", "mode", "transport")
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.9.0.1/32", "dst", "10.9.0.2/32", "proto", "tcp", "sport", "1701",
            "dport", "50002", "dir", "out", "priority", "1701", "tmpl", "proto", "esp", "mode", "transport")
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.9.0.1/32", "dst", "10.9.0.2/32", "proto", "udp", "sport", "1701",
            "dport", "50003", "dir", "out", "priority", "1701", "tmpl", "src", "10.9.0.1", "dst", "10.9.0.2", "proto",
            "esp", "mode", "tunnel")
        let foreign = [
            "out 10.9.0.1/32:1701 > 10.9.0.2/32:50001 udp priority 0 esp transport reqid 0",
            "out 10.9.0.1/32:1701 > 10.9.0.2/32:50002 tcp priority 1701 esp transport reqid 0",
            "out 10.9.0.1/32:1701 > 10.9.0.2/32:50003 udp priority 1701 esp tunnel reqid 0",
        ]
        #expect(try namespace.policies().count == 5)
        let recorder = DaemonRecorder()
        let plugin = try BuiltPlugin.path("ipsec")
        let afterLoad = try namespace.run { () -> [String] in
            let host = recorder.makeHost()
            try host.load(plugin)
            let policies = try namespace.policies()
            host.unloadAll()
            return policies
        }
        #expect(afterLoad == foreign.sorted())
        #expect(try namespace.policies() == foreign.sorted())
        #expect(recorder.logged("removed 2 leftover policies with priority 1701"))
    }

    @Test func aForeignPolicyThatRequiresESPIsKeptAndCountsAsProtection() throws {
        let namespace = try NetworkNamespace()
        // Unrelated, and colliding with our flow's "in" selector (an IKE daemon's).
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.1.0.1/32", "dst", "10.1.0.2/32", "proto", "udp", "sport", "1701",
            "dport", "40009", "dir", "in", "tmpl", "proto", "esp", "mode", "transport")
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.1.0.2/32", "dst", "10.1.0.1/32", "proto", "udp", "sport", "40009",
            "dport", "1701", "dir", "in", "priority", "500", "tmpl", "proto", "esp", "mode", "transport", "reqid", "3")
        let foreign = [
            "in 10.1.0.1/32:1701 > 10.1.0.2/32:40009 udp priority 0 esp transport reqid 0",
            "in 10.1.0.2/32:40009 > 10.1.0.1/32:1701 udp priority 500 esp transport reqid 3",
        ]
        let recorder = DaemonRecorder()
        let plugin = try BuiltPlugin.path("ipsec")
        let stages = try namespace.run { () -> [[String]] in
            let host = recorder.makeHost()
            try host.load(plugin)
            _ = host.tunnelCreated(Self.tunnel(7))
            host.socketConnected(Self.socket(7, peerPort: 40009))
            let up = try namespace.policies()
            host.socketDisconnected(Self.socket(7, peerPort: 40009))
            return [up, try namespace.policies()]
        }
        #expect(stages[0] == (foreign + [Self.policyPair(peerPort: 40009)[0]]).sorted())
        #expect(stages[1] == foreign.sorted())
        #expect(recorder.logged("policy dir in for 10.1.0.1:1701 -> 10.1.0.2:40009 exists already and requires ESP"))
        #expect(recorder.receivedActions == [])
    }

    @Test func aForeignBypassPolicyIsNotReplacedAndTheTunnelIsClosed() throws {
        let namespace = try NetworkNamespace()
        // Allows the flow without IPsec: ours must not override it silently.
        try namespace.ip(
            "xfrm", "policy", "add", "src", "10.1.0.2/32", "dst", "10.1.0.1/32", "proto", "udp", "sport", "40009",
            "dport", "1701", "dir", "in")
        let existing = ["in 10.1.0.2/32:40009 > 10.1.0.1/32:1701 udp priority 0"]
        for failure in ["close", "keep"] {
            let recorder = DaemonRecorder()
            let plugin = try BuiltPlugin.path("ipsec")
            let during = try namespace.run { () -> [String] in
                let host = recorder.makeHost()
                try host.load(plugin, arguments: "on_failure=\(failure)")
                _ = host.tunnelCreated(Self.tunnel(7))
                host.socketConnected(Self.socket(7, peerPort: 40009))
                let policies = try namespace.policies()
                host.unloadAll()
                return policies
            }
            // The out policy was added, the in policy collided: ours is rolled back.
            #expect(during == existing)
            #expect(try namespace.policies() == existing)
            #expect(recorder.logged("tunnel 7: cannot add policy dir in 10.1.0.1:1701 -> 10.1.0.2:40009: File exists"))
            let close = PluginAction.closeTunnel(
                tunnelID: 7, reason: "IPsec policies could not be installed", plugin: "ipsec")
            #expect(recorder.receivedActions == (failure == "close" ? [close] : []))
        }
    }

    @Test func argumentsSetPriorityReqidAndLevel() throws {
        let namespace = try NetworkNamespace()
        let recorder = DaemonRecorder()
        let plugin = try BuiltPlugin.path("ipsec")
        let policies = try namespace.run { () -> [String] in
            let host = recorder.makeHost()
            try host.load(plugin, arguments: "priority=4000,reqid=42,level=use")
            _ = host.tunnelCreated(Self.tunnel(3))
            host.socketConnected(Self.socket(3, peerPort: 40003))
            let policies = try namespace.policies()
            host.unloadAll()  // finishes the live tunnel: removes its policies
            return policies
        }
        #expect(
            policies
                == Self.policyPair(peerPort: 40003, priority: 4000, template: "esp transport reqid 42 level use")
                .sorted()
        )
        #expect(try namespace.policies() == [])
    }

    @Test func ipv6AndWildcardLocalAddresses() throws {
        let namespace = try NetworkNamespace()
        let recorder = DaemonRecorder()
        let plugin = try BuiltPlugin.path("ipsec")
        let stages = try namespace.run { () -> [[String]] in
            let host = recorder.makeHost()
            try host.load(plugin)
            _ = host.tunnelCreated(Self.tunnel(8))
            host.socketConnected(
                SocketInfo(
                    tunnelID: 8, localAddress: "fd00::1", localPort: 1701, peerAddress: "fd00::2", peerPort: 4500))
            _ = host.tunnelCreated(Self.tunnel(9))
            host.socketConnected(
                SocketInfo(
                    tunnelID: 9, localAddress: "0.0.0.0", localPort: 1701, peerAddress: "10.1.0.9", peerPort: 4501))
            let up = try namespace.policies()
            host.unloadAll()
            return [up, try namespace.policies()]
        }
        #expect(
            stages[0]
                == (Self.policyPair(local: "fd00::1", peer: "fd00::2", peerPort: 4500).map {
                    $0.replacingOccurrences(of: "/32", with: "/128")
                }
                + [
                    "out 0.0.0.0/0:1701 > 10.1.0.9/32:4501 udp priority 1701 esp transport reqid 0",
                    "in 10.1.0.9/32:4501 > 0.0.0.0/0:1701 udp priority 1701 esp transport reqid 0",
                ]).sorted())
        #expect(stages[1] == [])
    }

    @Test(arguments: ["priority=0", "priority=x", "level=maybe", "on_failure=ignore", "colour=blue", "reqid"])
    func badArgumentsRefuseToLoad(arguments: String) throws {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        let plugin = try BuiltPlugin.path("ipsec")
        let error = #expect(throws: PluginLoadError.self) { try host.load(plugin, arguments: arguments) }
        #expect(error?.code == .initFailed)
        #expect(recorder.logMessages.contains { $0.plugin == "ipsec" && $0.level == .error })
    }
}

import Foundation
import L2TPPluginHost
import TestSupport
import Testing

/// libippool.so loaded through PluginHost, asking a running ippoold for
/// sessions' addresses, as openl2tpd would.
@Suite(.serialized) struct IPPoolPluginTests {
    static let tunnel = TunnelInfo(
        tunnelID: 9, peerTunnelID: 109, localAddress: "127.0.0.1", localPort: 1701, peerAddress: "127.0.0.2",
        peerPort: 1701, createdByPeer: true)

    static func session(_ id: UInt16, _ parameters: [String: String]) -> SessionInfo {
        SessionInfo(tunnelID: 9, sessionID: id, peerSessionID: id + 100, callType: .lnsIncoming, parameters: parameters)
    }

    static let profile = ["ip_pool_name": "dialin", "local_ipaddr": "10.9.0.254"]

    func start(_ recorder: DaemonRecorder, arguments: String, sessions: [SessionInfo]) throws -> PluginHost {
        let host = recorder.makeHost()
        try host.load(try BuiltPlugin.path("ippool"), arguments: arguments)
        _ = host.tunnelCreated(Self.tunnel)
        host.tunnelUp(Self.tunnel)
        for session in sessions {
            host.sessionCreated(session)
            host.sessionUp(session)
        }
        return host
    }

    @Test func allocatesFromTheProfilesPoolAndReleasesOnSessionDelete() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.9.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let sessions = [Self.session(1, Self.profile), Self.session(2, Self.profile), Self.session(3, Self.profile)]
        let host = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: sessions)
        defer { host.unloadAll() }

        var peers: [String] = []
        for session in sessions.prefix(2) {
            guard case .allocated(let allocation) = host.allocateAddresses(for: session) else {
                Issue.record("no allocation: \(recorder.logMessages)")
                return
            }
            #expect(allocation.plugin == "ippool")
            #expect(allocation.localAddress.description == "10.9.0.254")
            peers.append(allocation.peerAddress.description)
        }
        #expect(peers == ["10.9.0.1", "10.9.0.2"])
        // The pool is empty: the plugin claimed the allocation and failed it.
        #expect(host.allocateAddresses(for: sessions[2]) == .failed(plugin: "ippool", errno: ENOSPC))
        #expect(recorder.logged("pool dialin: pool 'dialin' has no address to give"))
        #expect(
            try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated_addrs: 10.9.0.1,10.9.0.2"))

        host.sessionDeleted(sessions[0])
        #expect(recorder.logged("freed 10.9.0.1 to pool dialin"))
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated_addrs: 10.9.0.2\n"))
        host.unloadAll()  // finishes session 2: its address goes back too
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
    }

    @Test func poolArgumentIsTheFallbackAndNoPoolDeclines() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=spare first_addr=10.10.0.1 num_addrs=4\n")
        let recorder = DaemonRecorder()
        let withoutProfile = Self.session(1, [:])
        let host = try start(
            recorder, arguments: "socket=\(daemon.socketPath),pool=spare,local=10.10.0.254", sessions: [withoutProfile])
        defer { host.unloadAll() }
        guard case .allocated(let allocation) = host.allocateAddresses(for: withoutProfile) else {
            Issue.record("no allocation: \(recorder.logMessages)")
            return
        }
        #expect(
            allocation.localAddress.description == "10.10.0.254" && allocation.peerAddress.description == "10.10.0.1")

        let other = DaemonRecorder()
        let plain = try start(other, arguments: "socket=\(daemon.socketPath)", sessions: [withoutProfile])
        defer { plain.unloadAll() }
        #expect(plain.allocateAddresses(for: withoutProfile) == .notClaimed)
    }

    @Test func unreachableIppooldDeclinesOrRefusesWhenRequired() throws {
        let missing = "/nonexistent-ippool/ippoold.sock"
        let recorder = DaemonRecorder()
        let session = Self.session(1, Self.profile)
        let host = try start(recorder, arguments: "socket=\(missing)", sessions: [session])
        defer { host.unloadAll() }
        #expect(host.allocateAddresses(for: session) == .notClaimed)
        #expect(
            recorder.logged(
                "session 9/1: cannot reach ippoold at \(missing): connect: No such file or directory; the session proceeds without a pool address"
            ))

        let strict = DaemonRecorder()
        let required = try start(strict, arguments: "socket=\(missing),required=yes", sessions: [session])
        defer { required.unloadAll() }
        #expect(required.allocateAddresses(for: session) == .failed(plugin: "ippool", errno: EHOSTUNREACH))
        #expect(strict.logged("required=yes, so the session is refused"))
    }

    @Test func badArgumentsRefuseToLoad() throws {
        let host = DaemonRecorder().makeHost()
        #expect(throws: PluginLoadError.self) { try host.load(try BuiltPlugin.path("ippool"), arguments: "colour=red") }
        #expect(throws: PluginLoadError.self) {
            try host.load(try BuiltPlugin.path("ippool"), arguments: "local=10.0.0")
        }
    }
}

extension IPPoolPluginTests {
    @Test func missingLocalAddressDeclinesWithoutTakingAnAddress() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.11.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let session = Self.session(1, ["ip_pool_name": "dialin"])
        let host = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: [session])
        defer { host.unloadAll() }
        #expect(host.allocateAddresses(for: session) == .notClaimed)
        #expect(recorder.logged("set local_ipaddr in the PPP profile or local= for the plugin"))
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
    }
}

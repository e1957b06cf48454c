import Foundation
import L2TPPluginHost
import TestSupport
import Testing

/// A host with deferred decisions on (ABI 1.2), as openl2tpd drives it: the
/// plugin answers ip_allocate from its own queue, the stand-in event loop
/// delivers the outcome.
final class DeferredPoolHost {
    let host: PluginHost
    let loop = TestEventLoop()
    var outcomes: [PendingOutcome] = []

    init(_ recorder: DaemonRecorder, timeouts: PendingTimeouts = PendingTimeouts()) {
        host = recorder.makeHost()
        host.enableDeferredDecisions(timeouts: timeouts, deliver: loop.deliver) { [unowned self] in
            outcomes.append($0)
        }
    }

    /// Asks for addresses and, when the plugin pends, waits for its answer.
    func allocate(_ session: SessionInfo) -> AddressAllocationResult? {
        switch host.allocateAddresses(for: session, now: TestEventLoop.now) {
        case .settled(let result): return result
        case .pending(let id):
            loop.run { outcomes.contains { $0.id == id } }
            for case .addresses(id, _, _, let result) in outcomes { return result }
            return nil
        }
    }
}

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

    func start(_ recorder: DaemonRecorder, arguments: String, sessions: [SessionInfo]) throws -> DeferredPoolHost {
        let deferred = DeferredPoolHost(recorder)
        try open(deferred.host, arguments: arguments, sessions: sessions)
        return deferred
    }

    /// Loads the plugin and brings the tunnel and `sessions` up.
    func open(_ host: PluginHost, arguments: String, sessions: [SessionInfo]) throws {
        try host.load(try BuiltPlugin.path("ippool"), arguments: arguments)
        _ = host.tunnelCreated(Self.tunnel)
        host.tunnelUp(Self.tunnel)
        for session in sessions {
            host.sessionCreated(session)
            host.sessionUp(session)
        }
    }

    @Test func allocatesFromTheProfilesPoolAndReleasesOnSessionDelete() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.9.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let sessions = [Self.session(1, Self.profile), Self.session(2, Self.profile), Self.session(3, Self.profile)]
        let pool = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: sessions)
        let host = pool.host
        defer { host.unloadAll() }

        var peers: [String] = []
        for session in sessions.prefix(2) {
            guard case .allocated(let allocation) = pool.allocate(session) else {
                Issue.record("no allocation: \(recorder.logMessages)")
                return
            }
            #expect(allocation.plugin == "ippool")
            #expect(allocation.localAddress.description == "10.9.0.254")
            peers.append(allocation.peerAddress.description)
        }
        #expect(peers == ["10.9.0.1", "10.9.0.2"])
        // The pool is empty: the plugin claimed the allocation and failed it.
        #expect(pool.allocate(sessions[2]) == .failed(plugin: "ippool", errno: ENOSPC))
        #expect(recorder.logged("pool dialin: pool 'dialin' has no address to give"))
        #expect(
            try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated_addrs: 10.9.0.1,10.9.0.2"))

        host.sessionDeleted(sessions[0])
        // The free runs on the plugin's queue, not in the hook.
        #expect(pool.loop.run { recorder.logged("freed 10.9.0.1 to pool dialin") })
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated_addrs: 10.9.0.2\n"))
        host.unloadAll()  // finishes session 2: its address goes back too
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
    }

    @Test func poolArgumentIsTheFallbackAndNoPoolDeclines() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=spare first_addr=10.10.0.1 num_addrs=4\n")
        let recorder = DaemonRecorder()
        let withoutProfile = Self.session(1, [:])
        let pool = try start(
            recorder, arguments: "socket=\(daemon.socketPath),pool=spare,local=10.10.0.254", sessions: [withoutProfile])
        defer { pool.host.unloadAll() }
        guard case .allocated(let allocation) = pool.allocate(withoutProfile) else {
            Issue.record("no allocation: \(recorder.logMessages)")
            return
        }
        #expect(
            allocation.localAddress.description == "10.10.0.254" && allocation.peerAddress.description == "10.10.0.1")

        let other = DaemonRecorder()
        let plain = try start(other, arguments: "socket=\(daemon.socketPath)", sessions: [withoutProfile])
        defer { plain.host.unloadAll() }
        #expect(plain.allocate(withoutProfile) == .notClaimed)
    }

    @Test func unreachableIppooldDeclinesOrRefusesWhenRequired() throws {
        let missing = "/nonexistent-ippool/ippoold.sock"
        let recorder = DaemonRecorder()
        let session = Self.session(1, Self.profile)
        let pool = try start(recorder, arguments: "socket=\(missing)", sessions: [session])
        defer { pool.host.unloadAll() }
        #expect(pool.allocate(session) == .notClaimed)
        #expect(
            recorder.logged(
                "session 9/1: cannot reach ippoold at \(missing): connect: No such file or directory; the session proceeds without a pool address"
            ))

        let strict = DaemonRecorder()
        let required = try start(strict, arguments: "socket=\(missing),required=yes", sessions: [session])
        defer { required.host.unloadAll() }
        #expect(required.allocate(session) == .failed(plugin: "ippool", errno: EHOSTUNREACH))
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
        let pool = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: [session])
        defer { pool.host.unloadAll() }
        #expect(pool.allocate(session) == .notClaimed)
        #expect(recorder.logged("set local_ipaddr in the PPP profile or local= for the plugin"))
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
    }
}

extension IPPoolPluginTests {
    @Test func theHookPendsAndTheAnswerComesFromThePluginsQueue() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.12.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let session = Self.session(1, Self.profile)
        let pool = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: [session])
        defer { pool.host.unloadAll() }
        guard case .pending(let id) = pool.host.allocateAddresses(for: session, now: 0) else {
            Issue.record("ip_allocate must pend when the daemon can wait")
            return
        }
        #expect(pool.loop.run { !pool.outcomes.isEmpty })
        let expected = AddressAllocation(
            plugin: "ippool", localAddress: PluginIPv4Address(10, 9, 0, 254),
            peerAddress: PluginIPv4Address(10, 12, 0, 1))
        #expect(pool.outcomes == [.addresses(id, tunnelID: 9, sessionID: 1, .allocated(expected))])
    }

    @Test func anAddressTheDaemonDoesNotTakeGoesBackToThePool() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.13.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let session = Self.session(1, Self.profile)
        let pool = try start(recorder, arguments: "socket=\(daemon.socketPath)", sessions: [session])
        defer { pool.host.unloadAll() }
        guard case .pending = pool.host.allocateAddresses(for: session, now: 0) else {
            Issue.record("ip_allocate must pend when the daemon can wait")
            return
        }
        // The session goes before (or just after) ippool answers: either the
        // daemon refuses the answer (-ECANCELED) or it releases the taken
        // address (ip_release); both give the address back.
        pool.host.sessionDeleted(session)
        #expect(pool.loop.run { recorder.logged("10.13.0.1 back") || recorder.logged("freed 10.13.0.1") })
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
        #expect(pool.outcomes.isEmpty)
    }

    @Test func aDaemonThatAsksSynchronouslyStillGetsAnAddress() throws {
        let daemon = try RunningPoolDaemon(config: "pool create pool_name=dialin first_addr=10.14.0.1 num_addrs=2\n")
        let recorder = DaemonRecorder()
        let session = Self.session(1, Self.profile)
        let host = recorder.makeHost()
        try open(host, arguments: "socket=\(daemon.socketPath)", sessions: [session])
        defer { host.unloadAll() }
        guard case .allocated(let allocation) = host.allocateAddresses(for: session) else {
            Issue.record("no allocation: \(recorder.logMessages)")
            return
        }
        #expect(allocation.peerAddress.description == "10.14.0.1")
        host.sessionDeleted(session)
        host.unloadAll()  // waits for the plugin's queue: the free is done
        #expect(try daemon.config(["pool", "show", "pool_name=dialin"]).out.contains("allocated: 0"))
    }
}

import Foundation
import L2TPPluginHost
import Testing
import TestSupport
@testable import L2TPDaemon

/// Plugins that decide later (ABI 1.2): the tunnel or session waits as a
/// record in wait-admission, the engine hears the decision only when it
/// comes, and a question never answered is refused at its deadline.
/// plugin-sdk/examples/delayed_authorizer.c answers from its own thread.
@Suite(.serialized) struct DeferredPluginDecisionTests {
    let peer = IPv4SocketAddress(address: 0xC000_0201, port: 1701)

    final class Rig {
        let directory: URL
        let harness = DaemonHarness()
        let loop = TestEventLoop()

        init(_ arguments: String, authorizeTimeout: Duration = .seconds(10)) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("deferred-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let library = directory.appendingPathComponent("delayed_authorizer.so").path
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let cc = Process()
            cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            cc.arguments = [
                "cc", "-shared", "-fPIC", "-pthread", "-I", root.appendingPathComponent("plugin-sdk/include").path,
                root.appendingPathComponent("plugin-sdk/examples/delayed_authorizer.c").path, "-o", library,
            ]
            try cc.run()
            cc.waitUntilExit()
            guard cc.terminationStatus == 0 else { throw DaemonError.invalidCommand("cc failed") }
            let plugins = DaemonPlugins(pluginDirectory: directory.path, logger: harness.daemon.logger) { _ in }
            let daemon = harness.daemon
            plugins.host.enableDeferredDecisions(
                timeouts: PendingTimeouts(authorize: authorizeTimeout), deliver: loop.deliver,
                completion: { [unowned daemon] in daemon.pluginDecided($0) })
            try plugins.load(["\(library):\(arguments)"], defaultPPP: false)
            harness.daemon.plugins = plugins
        }

        deinit {
            harness.daemon.plugins?.host.unloadAll()
            try? FileManager.default.removeItem(at: directory)
        }

        var engine: ScriptedEngine { harness.engine }
    }

    func requestTunnel(_ rig: Rig, id: UInt16, host: String) {
        rig.harness.daemon.perform([
            .event(.tunnelRequested(TunnelRequest(peer: peer, peerHostName: host, peerTunnelID: id, tunnelID: id)))
        ])
    }

    @Test func aTunnelWaitsForThePluginsAnswerThenIsAcceptedOrRefused() throws {
        let rig = try Rig("delay_ms=30,refuse_host=evil")
        requestTunnel(rig, id: 10, host: "good")
        requestTunnel(rig, id: 11, host: "evil")
        // Nothing decided yet: both wait, as records, for the plugin.
        #expect(rig.engine.tunnelDecisions.isEmpty)
        #expect(rig.harness.daemon.tunnels[10]?.state == .waitingAdmission)
        #expect(rig.harness.daemon.tunnels[11]?.state == .waitingAdmission)
        #expect(rig.loop.run(until: { rig.engine.tunnelDecisions.count == 2 }))
        let decisions = Dictionary(uniqueKeysWithValues: rig.engine.tunnelDecisions.map { ($0.0, $0.1) })
        guard case .accept = decisions[10], case .refuse(let refusal) = decisions[11] else {
            Issue.record("wrong decisions: \(decisions)")
            return
        }
        #expect(refusal.reason.contains("refused by plugin delayed_authorizer"))
        #expect(rig.harness.daemon.tunnels[10]?.state == .opening)
        #expect(rig.harness.log.contains("refused tunnel 11 from 192.0.2.1:1701 host 'evil'"))
    }

    @Test func aQuestionNeverAnsweredIsRefusedAtItsDeadline() throws {
        let rig = try Rig("delay_ms=60000", authorizeTimeout: .milliseconds(200))
        requestTunnel(rig, id: 12, host: "slow")
        #expect(rig.engine.tunnelDecisions.isEmpty)
        let deadline = try #require(rig.harness.daemon.nextWakeup)
        rig.harness.now = deadline
        rig.harness.daemon.handleTimers()
        guard case .refuse(let refusal) = rig.engine.tunnelDecisions.first?.1 else {
            Issue.record("not refused at the deadline")
            return
        }
        #expect(refusal.reason.contains("no answer from plugin delayed_authorizer"))
        #expect(rig.engine.closed == [12])
    }

    @Test func sessionsWaitForThePluginAndCountMeanwhile() throws {
        let rig = try Rig("delay_ms=30,refuse_calling=666")
        try rig.harness.run("system modify max_sessions=2")
        requestTunnel(rig, id: 20, host: "lac")
        #expect(rig.loop.run(until: { !rig.engine.tunnelDecisions.isEmpty }))
        rig.harness.daemon.perform([
            .event(.tunnelUp(tunnelID: 20, peerTunnelID: 20, peer: peer, peerHostName: "lac"))
        ])
        let calls: [(UInt16, String)] = [(1, "100"), (2, "666"), (3, "101")]
        rig.harness.daemon.perform(
            calls.map { sid, calling in
                .event(
                    .sessionRequested(
                        SessionRequest(
                            tunnelID: 20, peerSessionID: sid, isOutgoingCall: false, sessionID: sid,
                            callSerialNumber: UInt32(sid), callingNumber: calling)))
            })
        // Two wait for the plugin; the third was over max_sessions at once,
        // because the two waiting ones count.
        #expect(rig.engine.sessionDecisions.count == 1)
        guard case .refuse(let limit) = rig.engine.sessionDecisions.first?.2 else {
            Issue.record("the third call was not refused")
            return
        }
        #expect(limit.reason == "max_sessions limit (2) reached (system)")
        #expect(rig.loop.run(until: { rig.engine.sessionDecisions.count == 3 }))
        let bySession = Dictionary(uniqueKeysWithValues: rig.engine.sessionDecisions.map { ($0.1, $0.2) })
        guard case .accept = bySession[1], case .refuse = bySession[2] else {
            Issue.record("wrong decisions: \(bySession)")
            return
        }
    }
}

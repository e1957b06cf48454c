import Foundation
import L2TPPluginHost
import TestSupport
import Testing

/// plugin-sdk/examples/delayed_authorizer.c, compiled with plain `cc` as the
/// SDK README says, answering from its own thread after its delay.
@Suite struct DelayedAuthorizerTests {
    let plugin: URL

    init() throws {
        let directory = try PluginTestSupport.makeTemporaryDirectory()
        plugin = directory.appendingPathComponent("delayed_authorizer.so")
        let source = PluginTestSupport.repositoryRoot.appendingPathComponent("plugin-sdk/examples/delayed_authorizer.c")
        try PluginTestSupport.compile(source.path, to: plugin, extraFlags: ["-pthread"])
    }

    @Test func answersArriveAfterTheDelayFromThePluginsThread() throws {
        let harness = DeferredHarness()
        try harness.host.load(plugin.path, arguments: "delay_ms=20,refuse_host=evil,refuse_calling=666")
        let good = PluginTestSupport.tunnel(1)
        guard case .pending(let goodID) = harness.host.admitTunnel(good, now: TestEventLoop.now),
            case .pending(let evilID) = harness.host.admitTunnel(
                PluginTestSupport.tunnel(2, hostName: "evil"), now: TestEventLoop.now)
        else {
            Issue.record("the example pends tunnel authorization")
            return
        }
        #expect(harness.waitForOutcomes(2))
        let refusal = PluginRefusal(
            plugin: "delayed_authorizer", reason: "refused by delayed_authorizer", resultCode: 2)
        #expect(
            harness.outcomes.sorted { $0.id < $1.id } == [
                .tunnel(goodID, tunnelID: 1, .accept), .tunnel(evilID, tunnelID: 2, .refuse(refusal)),
            ])

        harness.host.tunnelUp(good)
        guard case .pending(let callerID) = harness.host.admitSession(PluginTestSupport.session(1, 1), now: 0),
            case .pending(let barredID) = harness.host.admitSession(
                PluginTestSupport.session(1, 2, calling: "666"), now: 0)
        else {
            Issue.record("the example pends session authorization")
            return
        }
        #expect(harness.waitForOutcomes(4))
        #expect(
            harness.outcomes.dropFirst(2).sorted { $0.id < $1.id } == [
                .session(callerID, tunnelID: 1, sessionID: 1, .accept),
                .session(barredID, tunnelID: 1, sessionID: 2, .refuse(refusal)),
            ])
        // The plugin logs after decide returned: possibly after the outcome.
        #expect(harness.loop.run { harness.logged("tunnel 1: answered request") })
        #expect(harness.loop.run { harness.logged("session 1/2: answered request") })
        harness.host.unloadAll()  // stops and joins the plugin's thread
    }

    @Test func itsLateAnswerIsRefusedAfterTheDeadline() throws {
        let harness = DeferredHarness(timeouts: PendingTimeouts(authorize: .milliseconds(1)))
        try harness.host.load(plugin.path, arguments: "delay_ms=50")
        guard case .pending(let id) = harness.host.admitTunnel(PluginTestSupport.tunnel(3), now: 0) else {
            Issue.record("the example pends tunnel authorization")
            return
        }
        guard case .tunnel(id, tunnelID: 3, .refuse(let refusal))? = harness.host.expirePending(now: 1_000_000).first
        else {
            Issue.record("the deadline must refuse the tunnel")
            return
        }
        #expect(refusal.reason.contains("no answer from plugin delayed_authorizer"))
        // The plugin still answers after its delay, and is told it is too late.
        #expect(
            harness.loop.run(timeout: 5) {
                harness.logged("tunnel 3: answered request 1: accept (daemon returned -\(ETIMEDOUT))")
            })
        #expect(harness.outcomes.isEmpty)
        harness.host.unloadAll()
    }

    @Test func aDaemonThatAsksSynchronouslyGetsAnAnswerOnTheSpot() throws {
        let harness = DeferredHarness()
        try harness.host.load(plugin.path, arguments: "refuse_host=evil")
        #expect(harness.host.admitTunnel(PluginTestSupport.tunnel(4)) == .accept)
        #expect(!harness.host.admitTunnel(PluginTestSupport.tunnel(5, hostName: "evil")).isAccepted)
        harness.host.unloadAll()
    }
}

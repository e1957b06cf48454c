import Foundation
import L2TPPluginHost
import TestSupport
import Testing

/// ABI 1.2: plugins pend tunnel_authorize, session_authorize and
/// ip_allocate and answer from threads of their own; the host delivers the
/// outcomes on the (stand-in) event loop, refuses at the deadline, and
/// refuses late, duplicate and unknown answers.
@Suite struct DeferredDecisionTests {
    let directory: URL

    init() throws { directory = try PluginTestSupport.makeTemporaryDirectory() }

    func load(_ harness: DeferredHarness, _ name: String = "control", arguments: String = "") throws -> ControlPlugin {
        let path = try ControlPlugin.compile(in: directory, name: name)
        try harness.host.load(path, arguments: arguments)
        return try ControlPlugin(loaded: path)
    }

    /// Admits tunnel `id` and has `control` accept it; the tunnel is then up.
    func establish(_ tunnel: TunnelInfo, _ harness: DeferredHarness, _ control: ControlPlugin) throws {
        guard case .pending(let request) = harness.host.admitTunnel(tunnel, now: 0) else {
            throw PluginTestSupport.CompileError(description: "tunnel \(tunnel.tunnelID) did not pend")
        }
        #expect(control.decide(control.last(ControlPlugin.tunnel), OL2TP_ACCEPT_VALUE) == 0)
        let before = harness.outcomes.count
        harness.waitForOutcomes(before + 1)
        #expect(harness.outcomes.last == .tunnel(request, tunnelID: tunnel.tunnelID, .accept))
        harness.host.tunnelUp(tunnel)
    }

    func establish(_ session: SessionInfo, _ harness: DeferredHarness, _ control: ControlPlugin) {
        guard case .pending = harness.host.admitSession(session, now: 0) else {
            Issue.record("session \(session.sessionID) did not pend")
            return
        }
        #expect(control.decide(control.last(ControlPlugin.session), OL2TP_ACCEPT_VALUE) == 0)
        harness.waitForOutcomes(harness.outcomes.count + 1)
        harness.host.sessionUp(session)
    }

    // MARK: - Tunnels

    @Test func aTunnelAcceptedFromAnotherThreadReachesTheCompletionOnTheLoop() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        let tunnel = PluginTestSupport.tunnel(1)
        guard case .pending(let id) = harness.host.admitTunnel(tunnel, now: 1_000) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(harness.host.nextPendingDeadline == 1_000 + 10_000_000_000)
        // Asked again while pending: the same request, plugins not asked again.
        #expect(harness.host.authorizeTunnel(tunnel, now: 2_000) == .pending(id))
        #expect(control.asked(ControlPlugin.tunnel) == 1)
        harness.host.tunnelUp(tunnel)  // not delivered while pending
        #expect(harness.logged("tunnel 1 up while its authorization is pending"))

        let request = control.last(ControlPlugin.tunnel)
        #expect(control.decide(request, OL2TP_ACCEPT_VALUE) == 0)
        #expect(harness.outcomes.isEmpty)  // nothing happens on the plugin's thread
        #expect(harness.waitForOutcomes(1))
        #expect(harness.outcomes == [.tunnel(id, tunnelID: 1, .accept)])
        #expect(harness.host.nextPendingDeadline == nil)

        #expect(control.decide(request, OL2TP_ACCEPT_VALUE) == -EALREADY)
        #expect(harness.logged("decide for request \(request) refused (-\(EALREADY)): it was already answered"))
    }

    @Test func aTunnelRefusedLaterKeepsThePluginsCodesAndReason() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        let tunnel = PluginTestSupport.tunnel(2)
        guard case .pending(let id) = harness.host.admitTunnel(tunnel, now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(control.decide(control.last(ControlPlugin.tunnel), OL2TP_REFUSE_VALUE, resultCode: 4) == 0)
        harness.waitForOutcomes(1)
        let refusal = PluginRefusal(plugin: "deferred_control", reason: "refused by the test", resultCode: 4)
        #expect(harness.outcomes == [.tunnel(id, tunnelID: 2, .refuse(refusal))])
        // Remembered: asking again gives the refusal without asking the plugin.
        #expect(harness.host.authorizeTunnel(tunnel, now: 1) == .refuse(refusal))
        #expect(control.asked(ControlPlugin.tunnel) == 1)
    }

    @Test func theChainContinuesAfterAPendingAcceptAndTheFirstRefusalWins() throws {
        let harness = DeferredHarness()
        let first = try load(harness, "first")
        let second = try load(harness, "second")

        guard case .pending(let id) = harness.host.admitTunnel(PluginTestSupport.tunnel(3), now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(first.asked(ControlPlugin.tunnel) == 1 && second.asked(ControlPlugin.tunnel) == 0)
        #expect(first.decide(first.last(ControlPlugin.tunnel), OL2TP_ACCEPT_VALUE) == 0)
        #expect(harness.loop.run { second.asked(ControlPlugin.tunnel) == 1 })
        #expect(harness.outcomes.isEmpty)  // the second plugin pends in turn, same request
        #expect(second.decide(second.last(ControlPlugin.tunnel), OL2TP_ACCEPT_VALUE) == 0)
        harness.waitForOutcomes(1)
        #expect(harness.outcomes == [.tunnel(id, tunnelID: 3, .accept)])

        guard case .pending(let refused) = harness.host.admitTunnel(PluginTestSupport.tunnel(4), now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(first.decide(first.last(ControlPlugin.tunnel), OL2TP_REFUSE_VALUE) == 0)
        harness.waitForOutcomes(2)
        guard case .tunnel(refused, tunnelID: 4, .refuse(let refusal)) = harness.outcomes[1] else {
            Issue.record("expected a refusal, got \(harness.outcomes)")
            return
        }
        #expect(refusal.plugin == "deferred_control")
        #expect(second.asked(ControlPlugin.tunnel) == 1)  // never asked about tunnel 4
    }

    // MARK: - Sessions

    @Test func sessionsAreAcceptedOrRefusedFromAnotherThread() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        try establish(PluginTestSupport.tunnel(5), harness, control)

        guard case .pending(let accepted) = harness.host.admitSession(PluginTestSupport.session(5, 1), now: 0),
            case let acceptedRequest = control.last(ControlPlugin.session),
            case .pending(let refused) = harness.host.admitSession(PluginTestSupport.session(5, 2), now: 0)
        else {
            Issue.record("expected both sessions to pend")
            return
        }
        let refusedRequest = control.last(ControlPlugin.session)
        #expect(acceptedRequest != refusedRequest)
        #expect(control.decide(refusedRequest, OL2TP_REFUSE_VALUE, resultCode: 2) == 0)
        #expect(control.decide(acceptedRequest, OL2TP_ACCEPT_VALUE) == 0)
        harness.waitForOutcomes(3)
        let refusal = PluginRefusal(plugin: "deferred_control", reason: "refused by the test", resultCode: 2)
        #expect(
            Array(harness.outcomes.dropFirst()).sorted { $0.id < $1.id } == [
                .session(accepted, tunnelID: 5, sessionID: 1, .accept),
                .session(refused, tunnelID: 5, sessionID: 2, .refuse(refusal)),
            ])
    }

    // MARK: - Addresses

    @Test func addressesAllocatedFailedOrDeclinedToTheNextPlugin() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        let logger = directory.appendingPathComponent("hook_logger.so")
        try PluginTestSupport.compile(PluginTestSupport.hookLoggerSource, to: logger)
        let log = directory.appendingPathComponent("hooks.log")
        try harness.host.load(logger.path, arguments: "file=\(log.path),tag=B,ip=10.0.0.1/10.0.0.2")
        try establish(PluginTestSupport.tunnel(6), harness, control)
        let sessions = (1...3).map { PluginTestSupport.session(6, $0) }
        for session in sessions { establish(session, harness, control) }
        harness.outcomes = []

        var ids: [PendingRequestID] = []
        var requests: [UInt64] = []
        for session in sessions {
            guard case .pending(let id) = harness.host.allocateAddresses(for: session, now: 0) else {
                Issue.record("expected the allocation to pend")
                return
            }
            ids.append(id)
            requests.append(control.last(ControlPlugin.addresses))
        }
        #expect(harness.host.allocateAddresses(for: sessions[0], now: 5) == .pending(ids[0]))
        // decide answers authorizations only.
        #expect(control.decide(requests[0], OL2TP_ACCEPT_VALUE) == -EINVAL)
        #expect(control.decideIPv4(requests[0], OL2TP_CLAIMED_VALUE, 0x0a05_0001, 0x0a05_0002) == 0)
        #expect(control.decideIPv4(requests[1], -ENOSPC) == 0)
        #expect(control.decideIPv4(requests[2], OL2TP_DECLINE_VALUE) == 0)
        harness.waitForOutcomes(3)

        let ours = AddressAllocation(
            plugin: "deferred_control", localAddress: PluginIPv4Address(10, 5, 0, 1),
            peerAddress: PluginIPv4Address(10, 5, 0, 2))
        let next = AddressAllocation(
            plugin: "hook_logger", localAddress: PluginIPv4Address(10, 0, 0, 1),
            peerAddress: PluginIPv4Address(10, 0, 0, 2))
        #expect(
            harness.outcomes.sorted { $0.id < $1.id } == [
                .addresses(ids[0], tunnelID: 6, sessionID: 1, .allocated(ours)),
                .addresses(ids[1], tunnelID: 6, sessionID: 2, .failed(plugin: "deferred_control", errno: ENOSPC)),
                .addresses(ids[2], tunnelID: 6, sessionID: 3, .allocated(next)),
            ])
        #expect(harness.host.allocateAddresses(for: sessions[0], now: 9) == .settled(.allocated(ours)))
        #expect(control.releases == 0)
        harness.host.sessionDeleted(sessions[0])
        #expect(control.releases == 1)
        #expect(PluginTestSupport.lines(log).contains("B ip_allocate t=6 s=3"))
        #expect(!PluginTestSupport.lines(log).contains("B ip_allocate t=6 s=1"))
    }

    // MARK: - Deadlines

    @Test func unansweredQuestionsAreRefusedOrFailedAtTheDeadlineAndLateAnswersRefused() throws {
        let harness = DeferredHarness(timeouts: PendingTimeouts(authorize: .seconds(2), addresses: .seconds(3)))
        let control = try load(harness)

        guard case .pending(let tunnelRequest) = harness.host.admitTunnel(PluginTestSupport.tunnel(7), now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        let lateTunnel = control.last(ControlPlugin.tunnel)
        #expect(harness.host.nextPendingDeadline == 2_000_000_000)
        #expect(harness.host.expirePending(now: 1_999_999_999).isEmpty)
        let expired = harness.host.expirePending(now: 2_000_000_000)
        guard case .tunnel(tunnelRequest, tunnelID: 7, .refuse(let refusal))? = expired.first, expired.count == 1
        else {
            Issue.record("expected the tunnel refused, got \(expired)")
            return
        }
        #expect(refusal.plugin == "deferred_control" && refusal.reason.contains("no answer"))
        #expect(harness.logged("tunnel 7: no answer from plugin deferred_control"))
        #expect(control.decide(lateTunnel, OL2TP_ACCEPT_VALUE) == -ETIMEDOUT)
        #expect(harness.logged("the deadline passed before the answer came (late answer)"))

        try establish(PluginTestSupport.tunnel(8), harness, control)
        let session = PluginTestSupport.session(8, 1)
        guard case .pending(let sessionRequest) = harness.host.admitSession(session, now: 10) else {
            Issue.record("expected the session to pend")
            return
        }
        let lateSession = control.last(ControlPlugin.session)
        let sessionExpired = harness.host.expirePending(now: 2_000_000_010)
        #expect(sessionExpired.map(\.id) == [sessionRequest])
        #expect(control.decide(lateSession, OL2TP_ACCEPT_VALUE) == -ETIMEDOUT)

        let other = PluginTestSupport.session(8, 2)
        establish(other, harness, control)
        guard case .pending(let addressRequest) = harness.host.allocateAddresses(for: other, now: 100) else {
            Issue.record("expected the allocation to pend")
            return
        }
        let lateAddresses = control.last(ControlPlugin.addresses)
        #expect(harness.host.nextPendingDeadline == 3_000_000_100)
        #expect(
            harness.host.expirePending(now: 3_000_000_100) == [
                .addresses(
                    addressRequest, tunnelID: 8, sessionID: 2, .failed(plugin: "deferred_control", errno: ETIMEDOUT))
            ])
        #expect(control.decideIPv4(lateAddresses, OL2TP_CLAIMED_VALUE, 1, 2) == -ETIMEDOUT)
        harness.loop.runPending()
        #expect(harness.host.nextPendingDeadline == nil)
    }

    @Test func anAnswerThatCameInTimeIsTakenAtTheDeadline() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        guard case .pending(let id) = harness.host.admitTunnel(PluginTestSupport.tunnel(9), now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(control.decide(control.last(ControlPlugin.tunnel), OL2TP_ACCEPT_VALUE) == 0)
        // The loop has not run the delivery yet when the timer fires.
        #expect(harness.host.expirePending(now: .max) == [.tunnel(id, tunnelID: 9, .accept)])
        harness.loop.runPending()
        #expect(harness.outcomes.isEmpty)
    }

    // MARK: - Cancellation and misuse

    @Test func objectsThatGoAwayCancelTheirQuestions() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        let tunnel = PluginTestSupport.tunnel(10)
        guard case .pending = harness.host.admitTunnel(tunnel, now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        let request = control.last(ControlPlugin.tunnel)
        harness.host.tunnelDeleted(tunnel)
        #expect(harness.host.nextPendingDeadline == nil)
        #expect(control.decide(request, OL2TP_ACCEPT_VALUE) == -ECANCELED)
        #expect(harness.logged("its tunnel or session went away meanwhile"))

        try establish(PluginTestSupport.tunnel(11), harness, control)
        let session = PluginTestSupport.session(11, 4)
        establish(session, harness, control)
        let settled = harness.outcomes.count
        guard case .pending(let id) = harness.host.allocateAddresses(for: session, now: 0) else {
            Issue.record("expected the allocation to pend")
            return
        }
        // Answered (and taken by the host), but the session goes before the
        // loop delivers: the plugin must get its addresses back.
        #expect(control.decideIPv4(control.last(ControlPlugin.addresses), OL2TP_CLAIMED_VALUE, 7, 8) == 0)
        #expect(harness.host.cancelPending(tunnel: 11, session: 4) == [id])
        #expect(control.releases == 1)
        harness.loop.runPending()
        #expect(harness.outcomes.count == settled)
    }

    @Test func unknownRequestsAndPluginsAreRefused() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        #expect(control.decide(123_456, OL2TP_ACCEPT_VALUE) == -ENOENT)
        #expect(harness.logged("no such request was issued"))
        #expect(control.decideIPv4(123_456, 5) == -EINVAL)
    }

    @Test func theSynchronousCallsOfferNoDeferralAndTreatPendingAsRefusal() throws {
        let harness = DeferredHarness()
        let control = try load(harness)
        guard case .refuse(let refusal) = harness.host.admitTunnel(PluginTestSupport.tunnel(12)) else {
            Issue.record("a pending answer to a synchronous question must refuse")
            return
        }
        #expect(control.deferReturned(ControlPlugin.tunnel) == -EPERM)
        #expect(refusal.reason.contains("returned OL2TP_PENDING without reply_defer"))
    }

    @Test func anAnswerGivenInsideTheHookIsDeliveredAfterTheEvent() throws {
        let harness = DeferredHarness()
        _ = try load(harness, arguments: "inside=1")
        guard case .pending(let id) = harness.host.admitTunnel(PluginTestSupport.tunnel(13), now: 0) else {
            Issue.record("expected the tunnel to pend")
            return
        }
        #expect(harness.waitForOutcomes(1))
        #expect(harness.outcomes == [.tunnel(id, tunnelID: 13, .accept)])
    }

    // MARK: - ABI 1.1 plugins

    @Test func anABI11PluginStillLoadsAndDecidesSynchronously() throws {
        let harness = DeferredHarness()
        let path = directory.appendingPathComponent("abi11.so")
        try PluginTestSupport.compile(PluginTestSupport.fixture("abi11_plugin.c"), to: path)
        try harness.host.load(path.path)
        #expect(harness.host.plugins.map(\.abiMinor) == [1])

        guard case .refuse(let evil) = harness.host.admitTunnel(PluginTestSupport.tunnel(14, hostName: "evil"), now: 0)
        else {
            Issue.record("its return of 2 must stay a refusal")
            return
        }
        #expect(evil == PluginRefusal(plugin: "abi11", reason: "refused by plugin abi11"))
        let tunnel = PluginTestSupport.tunnel(15)
        #expect(harness.host.admitTunnel(tunnel, now: 0) == .accept)
        harness.host.tunnelUp(tunnel)
        #expect(
            harness.host.admitSession(PluginTestSupport.session(15, 1, calling: "666"), now: 0)
                == .refuse(PluginRefusal(plugin: "abi11", reason: "calling number barred", resultCode: 4)))
        let session = PluginTestSupport.session(15, 2)
        #expect(harness.host.admitSession(session, now: 0) == .accept)
        harness.host.sessionUp(session)
        #expect(
            harness.host.allocateAddresses(for: session, now: 0)
                == .settled(
                    .allocated(
                        AddressAllocation(
                            plugin: "abi11", localAddress: PluginIPv4Address(10, 1, 0, 1),
                            peerAddress: PluginIPv4Address(10, 1, 0, 2)))))
        #expect(harness.host.nextPendingDeadline == nil)
        #expect(harness.outcomes.isEmpty)
    }
}

// The C constants, as the fixture's Int32 arguments.
let OL2TP_ACCEPT_VALUE: Int32 = 0
let OL2TP_REFUSE_VALUE: Int32 = 1
let OL2TP_DECLINE_VALUE: Int32 = 0
let OL2TP_CLAIMED_VALUE: Int32 = 1

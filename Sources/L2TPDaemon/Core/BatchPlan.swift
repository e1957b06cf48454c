/// What one batch of engine outputs leaves to do once its datagrams are
/// sent and its bookkeeping and log lines are done, in the order the daemon
/// carries it out: first every teardown step, then every follow-up.
///
/// The order matters twice. A peer's StopCCN takes 100 sessions down in one
/// batch: its acknowledging ZLB and the daemon's own records come first,
/// then the plugins' hooks (ppp_unix stops every pppd at once) and the
/// kernel removals. And follow-ups call the engine again, so what they send
/// (an ICRQ of a restored session, a decision's SCCRP) must not overtake
/// what the batch already queued (RFC 2661 5.8 keeps the order of a
/// tunnel's messages). Typed rather than closures, so tests can read a plan.
public struct BatchPlan: Hashable, Sendable {
    public enum Teardown: Hashable, Sendable {
        /// Plugins' tunnel down, then the kernel tunnel (and every session in it).
        case tunnelDown(UInt16)
        /// Plugins' socket disconnected, the socket closed, plugins' tunnel deleted.
        case tunnelFreed(UInt16)
        /// Plugins' session down and deleted; the kernel session unless its
        /// tunnel is closing (one TUNNEL_DELETE takes them all).
        case sessionDown(tunnelID: UInt16, sessionID: UInt16, hadRecord: Bool)
    }

    public enum FollowUp: Hashable, Sendable {
        /// Answer an SCCRQ (SCCRP or StopCCN).
        case decideTunnel(UInt16, Admission<TunnelSettings>)
        /// Answer an ICRQ/OCRQ (ICRP/OCRP or CDN).
        case decideSession(UInt16, tunnelID: UInt16, Admission<SessionSettings>)
        /// StopCCN with the refusal's result (a tunnel that cannot work, or a plugin's refusal).
        case closeTunnel(UInt16, Refusal)
        /// CDN with the refusal's result, or "administrative" without one.
        case closeSession(UInt16, tunnelID: UInt16, Refusal?)
        /// A tunnel came up: open the sessions queued or held for it, arm its idle timer.
        case tunnelEstablished(UInt16)
    }

    public internal(set) var teardown: [Teardown] = []
    public internal(set) var followUps: [FollowUp] = []

    public init() {}

    public var isEmpty: Bool { teardown.isEmpty && followUps.isEmpty }

    /// The next step to carry out: teardown before follow-ups, each in order.
    mutating func next() -> Step? {
        if !teardown.isEmpty { return .teardown(teardown.removeFirst()) }
        if !followUps.isEmpty { return .followUp(followUps.removeFirst()) }
        return nil
    }

    enum Step {
        case teardown(Teardown)
        case followUp(FollowUp)
    }
}

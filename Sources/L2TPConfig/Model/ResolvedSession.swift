/// The settings in effect for one session.
public struct ResolvedSession: Hashable, Sendable {
    /// Effective session settings: session profile plus request overrides.
    public let settings: SessionProfile
    public let ppp: PPPProfile

    /// `session_type` if configured, else what the tunnel's role implies:
    /// LAC tunnels make incoming calls (laic), LNS tunnels outgoing (lnoc).
    public func sessionType(tunnelIsLNS: Bool) -> SessionType {
        settings.sessionType ?? (tunnelIsLNS ? .lnoc : .laic)
    }
}

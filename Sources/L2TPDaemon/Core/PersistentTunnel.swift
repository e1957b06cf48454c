import L2TPConfig

/// A locally created tunnel with `persist=yes`: recreated after a failure
/// (and on start until the peer answers) every `tunnel_persist_pend_timeout`,
/// with its locally created sessions restored when it is back, but held for
/// `session_persist_pend_timeout` after they went down before being retried.
struct PersistentTunnel: Hashable, Sendable {
    var settings: TunnelSettings
    /// The `tunnel create` it came from.
    var origin: ParsedCommand?
    /// `session create` arguments given for it, replayed on each recreation.
    var sessions: [ParsedCommand] = []
    /// The current incarnation, nil while waiting to retry.
    var tunnelID: UInt16?
    /// Monotonic nanoseconds of the next attempt.
    var retryAt: UInt64?
    /// When the sessions last went down with the tunnel (monotonic ns).
    var sessionsDownAt: UInt64?
    /// Sessions waiting out `session_persist_pend_timeout` before being
    /// opened into the current incarnation (a `session create` given
    /// meanwhile opens at once and is not among them).
    var heldSessions: [HeldSession] = []

    /// When the next held session is due.
    var sessionRestoreAt: UInt64? { heldSessions.map(\.restoreAt).min() }

    /// Name, else destination and config id (they tell tunnels to one peer apart).
    static func key(_ settings: TunnelSettings) -> String {
        settings.tunnelName ?? "\(settings.destination?.description ?? "?"):\(settings.configID)"
    }
}

/// A persistent tunnel's session that went down, and when it is retried.
struct HeldSession: Hashable, Sendable {
    var command: ParsedCommand
    /// Monotonic nanoseconds.
    var restoreAt: UInt64
}

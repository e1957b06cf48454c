import L2TPConfig

/// A locally created tunnel with `persist=yes`: recreated after a failure
/// (and on start until the peer answers) every `tunnel_persist_pend_timeout`,
/// with its locally created sessions restored when it is back.
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

    /// Name, else destination and config id (they tell tunnels to one peer apart).
    static func key(_ settings: TunnelSettings) -> String {
        settings.tunnelName ?? "\(settings.destination?.description ?? "?"):\(settings.configID)"
    }
}

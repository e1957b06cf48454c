/// Identifies one deferred decision the daemon is waiting for (ABI 1.2): an
/// admission or address allocation a plugin answered with OL2TP_PENDING.
/// One id covers the whole plugin chain of that question, however many
/// plugins pend in turn.
public struct PendingRequestID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "pending request \(rawValue)" }
}

/// The answer to `admitTunnel(_:now:)` / `admitSession(_:now:)`.
public enum AdmissionVerdict: Hashable, Sendable {
    case accept
    /// The first refusal wins; send StopCCN / CDN.
    case refuse(PluginRefusal)
    /// A plugin answers later: the daemon parks the tunnel or session, and
    /// gets a `PendingOutcome` with this id (or refuses it at the deadline).
    case pending(PendingRequestID)
}

/// The answer to `allocateAddresses(for:now:)`.
public enum AddressVerdict: Hashable, Sendable {
    /// Settled now: allocated, not claimed, failed or not delivered.
    case settled(AddressAllocationResult)
    /// A plugin answers later; the outcome comes as `PendingOutcome.addresses`.
    case pending(PendingRequestID)
}

/// How a deferred decision ended, handed to the daemon on its event loop.
public enum PendingOutcome: Hashable, Sendable {
    /// A tunnel's authorization: `.accept` (send the SCCRP / go up) or
    /// `.refuse` (StopCCN with the refusal's codes).
    case tunnel(PendingRequestID, tunnelID: UInt16, PluginDecision)
    /// A session's authorization: `.accept` or `.refuse` (CDN).
    case session(PendingRequestID, tunnelID: UInt16, sessionID: UInt16, PluginDecision)
    /// An address allocation: `.allocated`, `.notClaimed` (every plugin
    /// declined: use the PPP profile's addresses) or `.failed` (close the
    /// session; `ETIMEDOUT` when the deadline passed).
    case addresses(PendingRequestID, tunnelID: UInt16, sessionID: UInt16, AddressAllocationResult)

    public var id: PendingRequestID {
        switch self {
        case .tunnel(let id, _, _), .session(let id, _, _, _), .addresses(let id, _, _, _): return id
        }
    }
}

/// How long the host waits for a deferred answer before it refuses the
/// admission or fails the allocation itself. Counted from the daemon's call
/// (`now:`), for the whole plugin chain.
public struct PendingTimeouts: Hashable, Sendable {
    public var authorize: Duration
    public var addresses: Duration

    public init(authorize: Duration = .seconds(10), addresses: Duration = .seconds(10)) {
        self.authorize = authorize
        self.addresses = addresses
    }
}

extension Duration {
    /// Whole nanoseconds, saturating: deadlines are `UInt64` monotonic ns.
    var saturatingNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}

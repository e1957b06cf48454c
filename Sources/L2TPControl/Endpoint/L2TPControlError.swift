import L2TPWire

import L2TPWire

/// Errors of the control API (the wire layer has `L2TPWireError`).
///
/// A public struct around a private code so that kinds can be added later.
public struct L2TPControlError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case unknownTunnel
        case unknownSession
        case tunnelNotUsable
        case sendQueueFull
        case wrongCallType
        case noFreeIdentifier
        case invalidParameter
        case notWaitingForAdmission
    }

    private let code: Code
    /// What was wrong, naming the parameter or id.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: L2TPControlError, rhs: L2TPControlError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "L2TPControlError.\(code): \(detail)" }

    public static func unknownTunnel(_ id: TunnelID) -> Self { Self(.unknownTunnel, "no tunnel \(id)") }
    public static func unknownSession(_ tunnel: TunnelID, _ session: SessionID) -> Self {
        Self(.unknownSession, "no session \(session) in tunnel \(tunnel)")
    }
    /// The tunnel is closing; no new sessions.
    public static func tunnelNotUsable(_ id: TunnelID, state: String) -> Self {
        Self(.tunnelNotUsable, "tunnel \(id) is \(state)")
    }
    /// The peer's window has been closed for too long: the queue cap was reached.
    public static func sendQueueFull(_ id: TunnelID, limit: Int) -> Self {
        Self(.sendQueueFull, "tunnel \(id): \(limit) control messages already wait for the peer's window")
    }
    /// `openSession` takes only locally initiated call types (laic, lnoc).
    public static func wrongCallType(_ type: CallType) -> Self {
        Self(.wrongCallType, "session_type \(type) cannot be opened locally (use laic or lnoc)")
    }
    public static func noFreeIdentifier(_ what: String) -> Self { Self(.noFreeIdentifier, "no free \(what) id") }
    public static func invalidParameter(_ name: String, _ why: String) -> Self {
        Self(.invalidParameter, "\(name): \(why)")
    }
    /// A decision for a tunnel or session that is not (or no longer) waiting
    /// for one: answered twice, or gone meanwhile (peer closed, timed out).
    public static func notWaitingForAdmission(_ what: String) -> Self {
        Self(.notWaitingForAdmission, "\(what) is not waiting for an admission decision")
    }
}

/// Short names for the two result-code families (their cases overlap).
typealias StopResult = ResultCode.StopCCNResult
typealias CallResult = ResultCode.CDNResult

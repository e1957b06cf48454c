/// What a load run achieved, summed over its tunnels, and the one-line
/// summary the tests read (`key=value` fields, result codes as `code:count`).
public struct LoadTally: Hashable, Sendable {
    public var tunnelsUp = 0
    /// StopCCN before the tunnel was established, by result code (RFC 2661 4.4.2).
    public var tunnelsRefused: [UInt16: Int] = [:]
    /// StopCCN after the tunnel was established, by result code.
    public var tunnelsClosedByPeer: [UInt16: Int] = [:]
    public var sessionsEstablished = 0
    /// CDN in answer to the ICRQ, by result code.
    public var sessionsRefused: [UInt16: Int] = [:]
    /// CDN after the ICCN, by result code.
    public var sessionsDropped: [UInt16: Int] = [:]
    /// Calls without a definite answer when the run ended.
    public var sessionsUnresolved = 0
    /// Tunnels without an SCCRP or StopCCN when the run ended.
    public var tunnelsUnresolved = 0
    public var protocolErrors = 0
    /// The first few protocol errors, for the operator.
    public var errorMessages: [String] = []

    public init() {}

    static let keptErrorMessages = 5

    mutating func recordError(_ message: String) {
        protocolErrors += 1
        if errorMessages.count < Self.keptErrorMessages { errorMessages.append(message) }
    }

    public static func + (lhs: LoadTally, rhs: LoadTally) -> LoadTally {
        var sum = lhs
        sum.tunnelsUp += rhs.tunnelsUp
        sum.tunnelsRefused.merge(rhs.tunnelsRefused, uniquingKeysWith: +)
        sum.tunnelsClosedByPeer.merge(rhs.tunnelsClosedByPeer, uniquingKeysWith: +)
        sum.sessionsEstablished += rhs.sessionsEstablished
        sum.sessionsRefused.merge(rhs.sessionsRefused, uniquingKeysWith: +)
        sum.sessionsDropped.merge(rhs.sessionsDropped, uniquingKeysWith: +)
        sum.sessionsUnresolved += rhs.sessionsUnresolved
        sum.tunnelsUnresolved += rhs.tunnelsUnresolved
        sum.protocolErrors += rhs.protocolErrors
        for message in rhs.errorMessages where sum.errorMessages.count < keptErrorMessages {
            sum.errorMessages.append(message)
        }
        return sum
    }

    /// Everything got a definite answer and nothing was malformed.
    public var isClean: Bool { protocolErrors == 0 && sessionsUnresolved == 0 && tunnelsUnresolved == 0 }

    /// `summary tunnels_up=1 tunnels_refused=0 stopccn=- ... elapsed_ms=N`:
    /// result-code fields list `code:count` pairs in code order, `-` for none.
    public func summaryLine(elapsedMilliseconds: Int) -> String {
        func total(_ counts: [UInt16: Int]) -> Int { counts.values.reduce(0, +) }
        func codes(_ counts: [UInt16: Int]) -> String {
            counts.isEmpty ? "-" : counts.keys.sorted().map { "\($0):\(counts[$0]!)" }.joined(separator: ",")
        }
        return [
            "summary",
            "tunnels_up=\(tunnelsUp)",
            "tunnels_refused=\(total(tunnelsRefused))",
            "stopccn_results=\(codes(tunnelsRefused))",
            "tunnels_closed_by_peer=\(total(tunnelsClosedByPeer))",
            "tunnels_unresolved=\(tunnelsUnresolved)",
            "sessions_established=\(sessionsEstablished)",
            "sessions_refused=\(total(sessionsRefused))",
            "cdn_results=\(codes(sessionsRefused))",
            "sessions_dropped=\(total(sessionsDropped))",
            "sessions_unresolved=\(sessionsUnresolved)",
            "protocol_errors=\(protocolErrors)",
            "elapsed_ms=\(elapsedMilliseconds)",
        ].joined(separator: " ")
    }
}

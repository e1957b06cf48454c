/// One incoming call a load-generating LAC places (RFC 2661 7.4.1, LAC
/// side): ICRQ, then ICCN once the LNS answers with ICRP. The LNS may refuse
/// it with a CDN at any point.
public struct LoadCall: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        /// Not requested yet (calls are placed one at a time unless pipelined).
        case waiting
        /// ICRQ queued or sent; no answer yet.
        case requested
        /// ICRP received and ICCN queued: the call is up from the LAC's side.
        case connected(peerSessionID: UInt16)
        /// CDN before the call was connected (RFC 2661 4.4.2 CDN result code).
        case refused(result: UInt16)
        /// CDN after the ICCN: the LNS took the call down again.
        case dropped(result: UInt16)
    }

    /// Our Assigned Session ID (RFC 2661 4.4.4).
    public let sessionID: UInt16
    public let callSerialNumber: UInt32
    public internal(set) var state: State = .waiting

    public init(sessionID: UInt16, callSerialNumber: UInt32) {
        self.sessionID = sessionID
        self.callSerialNumber = callSerialNumber
    }

    /// The LNS gave a definite answer: connected, refused or dropped.
    public var isResolved: Bool {
        switch state {
        case .waiting, .requested: false
        case .connected, .refused, .dropped: true
        }
    }
}

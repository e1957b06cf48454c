/// Control message types (RFC 2661 3.2), carried in the Message Type AVP.
public enum MessageType: UInt16, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    // Control connection management
    case sccrq = 1
    case sccrp = 2
    case scccn = 3
    case stopCCN = 4
    case hello = 6
    // Call management
    case ocrq = 7
    case ocrp = 8
    case occn = 9
    case icrq = 10
    case icrp = 11
    case iccn = 12
    case cdn = 14
    // Error reporting and PPP session control
    case wen = 15
    case sli = 16

    /// The abbreviation used by RFC 2661 and in logs.
    public var description: String {
        switch self {
        case .sccrq: "SCCRQ"
        case .sccrp: "SCCRP"
        case .scccn: "SCCCN"
        case .stopCCN: "StopCCN"
        case .hello: "HELLO"
        case .ocrq: "OCRQ"
        case .ocrp: "OCRP"
        case .occn: "OCCN"
        case .icrq: "ICRQ"
        case .icrp: "ICRP"
        case .iccn: "ICCN"
        case .cdn: "CDN"
        case .wen: "WEN"
        case .sli: "SLI"
        }
    }

    /// True for messages that belong to the tunnel rather than a session
    /// (RFC 2661 3.2: control connection management).
    public var isTunnelMessage: Bool {
        switch self {
        case .sccrq, .sccrp, .scccn, .stopCCN, .hello: true
        default: false
        }
    }
}

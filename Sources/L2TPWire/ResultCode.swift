/// Result Code AVP value (RFC 2661 4.4.2), sent in StopCCN and CDN.
///
/// On the wire: 2-octet result, optional 2-octet error code, optional UTF-8
/// error message (AVP length 8, 10 or 10 + message).
///
/// Apple quirk: some Apple L2TP clients write the result and error codes in
/// little-endian order (xl2tpd logs "result code endianness fix for buggy
/// Apple client. network=256, le=1"). Every defined code is below 256, so a
/// big-endian value >= 256 whose low octet is zero cannot be valid while its
/// byte swap is. The decoder swaps such a result or error code (each checked
/// on its own) and sets `isByteSwapped`; the encoder then writes both codes
/// little-endian, so a decoded value re-encodes to the values it had.
public struct ResultCode: Hashable, Sendable, CustomStringConvertible {
    public var result: UInt16
    public var error: UInt16?
    /// Human-readable message (RFC 2661: UTF-8). Only encoded when `error` is set.
    public var message: [UInt8]?
    /// The codes arrived (or are to be sent) in little-endian order.
    public var isByteSwapped: Bool

    public init(result: UInt16, error: UInt16? = nil, message: [UInt8]? = nil, isByteSwapped: Bool = false) {
        self.result = result
        self.error = error
        self.message = message
        self.isByteSwapped = isByteSwapped
    }

    /// A StopCCN result, with an optional general error and text.
    public init(_ result: StopCCNResult, error: GeneralError? = nil, message: String? = nil) {
        self.init(
            result: result.rawValue, error: error?.rawValue ?? (message == nil ? nil : 0),
            message: message.map { Array($0.utf8) })
    }

    /// A CDN result, with an optional general error and text.
    public init(_ result: CDNResult, error: GeneralError? = nil, message: String? = nil) {
        self.init(
            result: result.rawValue, error: error?.rawValue ?? (message == nil ? nil : 0),
            message: message.map { Array($0.utf8) })
    }

    /// The error message as text (invalid UTF-8 is repaired).
    public var messageText: String? { message.map { String(decoding: $0, as: UTF8.self) } }

    public var description: String {
        var text = "result \(result)"
        if let error { text += ", error \(error)" }
        if let messageText { text += ", \"\(messageText)\"" }
        return text
    }

    /// Result codes for StopCCN (RFC 2661 4.4.2).
    public enum StopCCNResult: UInt16, CaseIterable, Sendable, CustomStringConvertible {
        case generalRequest = 1
        case generalError = 2
        case channelExists = 3
        case notAuthorized = 4
        case unsupportedProtocolVersion = 5
        case shuttingDown = 6
        case stateMachineError = 7

        public var description: String {
            switch self {
            case .generalRequest: "General request to clear control connection"
            case .generalError: "General error (see error code)"
            case .channelExists: "Control channel already exists"
            case .notAuthorized: "Requester is not authorized to establish a control channel"
            case .unsupportedProtocolVersion: "The protocol version of the requester is not supported"
            case .shuttingDown: "Requester is being shut down"
            case .stateMachineError: "Finite State Machine error"
            }
        }
    }

    /// Result codes for CDN (RFC 2661 4.4.2).
    public enum CDNResult: UInt16, CaseIterable, Sendable, CustomStringConvertible {
        case lostCarrier = 1
        case generalError = 2
        case administrative = 3
        case temporaryLackOfResources = 4
        case permanentLackOfResources = 5
        case invalidDestination = 6
        case noCarrier = 7
        case busy = 8
        case noDialTone = 9
        case timeout = 10
        case noFraming = 11

        public var description: String {
            switch self {
            case .lostCarrier: "Call disconnected due to loss of carrier"
            case .generalError: "Call disconnected for the reason indicated in error code"
            case .administrative: "Call disconnected for administrative reasons"
            case .temporaryLackOfResources: "Call failed due to lack of appropriate facilities (temporary)"
            case .permanentLackOfResources: "Call failed due to lack of appropriate facilities (permanent)"
            case .invalidDestination: "Invalid destination"
            case .noCarrier: "Call failed due to no carrier detected"
            case .busy: "Call failed due to detection of a busy signal"
            case .noDialTone: "Call failed due to lack of a dial tone"
            case .timeout: "Call was not established within time allotted by LAC"
            case .noFraming: "Call was connected but no appropriate framing was detected"
            }
        }
    }

    /// General error codes (RFC 2661 4.4.2).
    public enum GeneralError: UInt16, CaseIterable, Sendable, CustomStringConvertible {
        case noError = 0
        case noControlConnection = 1
        case badLength = 2
        case badValue = 3
        case insufficientResources = 4
        case invalidSessionID = 5
        case vendorSpecific = 6
        case tryAnother = 7
        case unknownMandatoryAVP = 8

        public var description: String {
            switch self {
            case .noError: "No general error"
            case .noControlConnection: "No control connection exists yet for this LAC-LNS pair"
            case .badLength: "Length is wrong"
            case .badValue: "One of the field values was out of range or reserved field was non-zero"
            case .insufficientResources: "Insufficient resources to handle this operation now"
            case .invalidSessionID: "The Session ID is invalid in this context"
            case .vendorSpecific: "A generic vendor-specific error occurred in the LAC"
            case .tryAnother: "Try another"
            case .unknownMandatoryAVP:
                "Session or tunnel was shutdown due to receipt of an unknown AVP with the M-bit set"
            }
        }
    }
}

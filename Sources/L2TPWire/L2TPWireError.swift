/// The one error type of the wire codec.
///
/// A public struct around a private code (swift-certificates style) so new
/// failure kinds can be added without breaking callers. Equality compares the
/// code only; the other fields are diagnostics.
///
/// Errors raised after the header was parsed carry `header` and, once the
/// Message Type AVP was seen, `messageType`: a control channel that receives
/// an unknown AVP with the M bit set (RFC 2661 4.2) uses them to tear down the
/// right tunnel or session and to acknowledge the message.
///
/// Two texts: `description` is for logs (code, field, offset, detail), and
/// `peerText` is what may go to the peer in a Result Code message (RFC 2661
/// 4.4.2): plain words, no Swift type names, the message type said once.
public struct L2TPWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable value callers can switch on with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case truncated
            case unsupportedVersion
            case reservedBitsSet
            case invalidControlHeader
            case invalidLengthField
            case invalidAVPLength
            case invalidAVPValue
            case reservedAVPBitsSet
            case unknownMandatoryAVP
            case unknownMessageType
            case messageTypeNotFirst
            case hiddenAVPWithoutSecret
            case hiddenAVPWithoutRandomVector
            case invalidHiddenAVP
            case avpMayNotBeHidden
            case valueTooLong
            case missingMandatoryAVP
            case unexpectedAVP
            case duplicateAVP
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The input ended before a field that must be present.
        public static let truncated = Code(.truncated)
        /// Version field other than 2 (e.g. L2TPv3, RFC 3931).
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A reserved header bit was set (RFC 2661 3.1).
        public static let reservedBitsSet = Code(.reservedBitsSet)
        /// T bit set without L and S, or with O or P (RFC 2661 3.1).
        public static let invalidControlHeader = Code(.invalidControlHeader)
        /// Length field smaller than the header or larger than the datagram.
        public static let invalidLengthField = Code(.invalidLengthField)
        /// AVP length below 6 or past the end of the message (RFC 2661 4.1).
        public static let invalidAVPLength = Code(.invalidAVPLength)
        /// An IETF AVP value of the wrong size or with an invalid field.
        public static let invalidAVPValue = Code(.invalidAVPValue)
        /// One of the four reserved AVP header bits was set (RFC 2661 4.1).
        public static let reservedAVPBitsSet = Code(.reservedAVPBitsSet)
        /// Unrecognised AVP with the M bit set: tear down (RFC 2661 4.2).
        public static let unknownMandatoryAVP = Code(.unknownMandatoryAVP)
        /// Message Type AVP with a value this implementation does not know.
        /// `isMandatory` says whether the M bit was set (RFC 2661 4.4.1).
        public static let unknownMessageType = Code(.unknownMessageType)
        /// The first AVP of a control message is not Message Type (RFC 2661 4.4.1).
        public static let messageTypeNotFirst = Code(.messageTypeNotFirst)
        /// A hidden AVP arrived (or was to be sent) but no shared secret is configured.
        public static let hiddenAVPWithoutSecret = Code(.hiddenAVPWithoutSecret)
        /// A hidden AVP is not preceded by a Random Vector AVP (RFC 2661 4.3).
        public static let hiddenAVPWithoutRandomVector = Code(.hiddenAVPWithoutRandomVector)
        /// A hidden AVP whose original-length prefix does not fit.
        public static let invalidHiddenAVP = Code(.invalidHiddenAVP)
        /// Asked to hide an AVP that RFC 2661 says MUST NOT be hidden.
        public static let avpMayNotBeHidden = Code(.avpMayNotBeHidden)
        /// An AVP value or message does not fit in its length field.
        public static let valueTooLong = Code(.valueTooLong)
        /// `MessageSpec.validate`: a required AVP is absent (RFC 2661 6).
        public static let missingMandatoryAVP = Code(.missingMandatoryAVP)
        /// `MessageSpec.validate`: an IETF AVP not allowed in this message (RFC 2661 6).
        public static let unexpectedAVP = Code(.unexpectedAVP)
        /// `MessageSpec.validate`: a single-valued AVP appears twice.
        public static let duplicateAVP = Code(.duplicateAVP)

        public var description: String { backing.rawValue }
    }

    /// The failure kind.
    public let code: Code
    /// The field being decoded or encoded, e.g. `"AVP length"`, `"Host Name"`.
    public let field: String
    /// Byte offset from the start of the L2TP header, when known.
    public let offset: Int?
    /// Free-form detail for logs.
    public let detail: String
    /// What went wrong in words, without the message type (`peerText` adds
    /// it): "duplicate Host Name AVP", "Host Name AVP length 3 too short".
    public let summary: String
    /// The parsed header, when the failure happened after it was read.
    public internal(set) var header: L2TPHeader?
    /// The message type, when the Message Type AVP had been read.
    public internal(set) var messageType: MessageType?
    /// Attribute of the offending AVP (vendor id, attribute type), when relevant.
    public let attribute: AVPAttribute?
    /// M bit of the offending AVP, when relevant.
    public let isMandatory: Bool

    init(
        _ code: Code, field: String, offset: Int?, detail: String = "", summary: String = "",
        attribute: AVPAttribute? = nil, isMandatory: Bool = false
    ) {
        self.code = code
        self.field = field
        self.offset = offset
        self.detail = detail
        self.summary = summary
        self.attribute = attribute
        self.isMandatory = isMandatory
    }

    public static func == (lhs: L2TPWireError, rhs: L2TPWireError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        var text = "L2TPWireError.\(code): \(field)"
        if let offset { text += " at offset \(offset)" }
        if !detail.isEmpty { text += ": \(detail)" }
        if let messageType { text += " [in \(messageType)]" }
        return text
    }

    /// The text for the Result Code message of the StopCCN or CDN that
    /// answers this error: "duplicate Host Name AVP in SCCRQ". Built from
    /// our own words and numbers only, never from the peer's bytes.
    public var peerText: String {
        let words = summary.isEmpty ? "\(field): malformed" : summary
        guard let messageType else { return words }
        return "\(words) in \(messageType)"
    }

    /// Adds the message context to an error raised deeper down.
    func withContext(header: L2TPHeader?, messageType: MessageType?) -> L2TPWireError {
        var copy = self
        if copy.header == nil { copy.header = header }
        if copy.messageType == nil { copy.messageType = messageType }
        return copy
    }
}

// MARK: - Factories

extension L2TPWireError {
    static func truncated(_ field: String, offset: Int, need: Int, have: Int) -> Self {
        .init(
            .truncated, field: field, offset: offset, detail: "need \(need) bytes, have \(have)",
            summary: "message too short for its \(field): \(have) bytes, \(need) needed")
    }
    static func unsupportedVersion(_ version: UInt16) -> Self {
        .init(
            .unsupportedVersion, field: "version", offset: 1, detail: "version \(version), expected 2",
            summary: "header version \(version), expected 2")
    }
    static func reservedBitsSet(_ flags: UInt16) -> Self {
        let hex = "0x\(String(flags, radix: 16))"
        return .init(
            .reservedBitsSet, field: "flags", offset: 0, detail: "flags \(hex)",
            summary: "reserved header bits set (flags \(hex))")
    }
    static func invalidControlHeader(_ detail: String) -> Self {
        .init(.invalidControlHeader, field: "flags", offset: 0, detail: detail, summary: "invalid header: \(detail)")
    }
    static func invalidLengthField(_ field: String, offset: Int, value: Int, detail: String) -> Self {
        .init(
            .invalidLengthField, field: field, offset: offset, detail: "value \(value): \(detail)",
            summary: "\(field) field \(value): \(detail)")
    }
    static func invalidAVPLength(offset: Int, length: Int, remaining: Int, attribute: AVPAttribute?) -> Self {
        let summary: String
        if let attribute {
            summary =
                length < 6
                ? "\(attribute.peerName) length \(length) too short (minimum 6)"
                : "\(attribute.peerName) length \(length) exceeds the \(remaining) bytes left"
        } else {
            summary = "AVP header cut short: \(remaining) bytes left, 6 needed"
        }
        return .init(
            .invalidAVPLength, field: "AVP length", offset: offset,
            detail: "length \(length), \(remaining) bytes remain (minimum 6)", summary: summary, attribute: attribute)
    }
    static func invalidAVPValue(_ field: String, offset: Int, detail: String, attribute: AVPAttribute) -> Self {
        .init(
            .invalidAVPValue, field: field, offset: offset, detail: detail,
            summary: "bad \(attribute.peerName) value: \(detail)", attribute: attribute)
    }
    static func reservedAVPBitsSet(offset: Int, attribute: AVPAttribute) -> Self {
        .init(
            .reservedAVPBitsSet, field: "AVP flags", offset: offset,
            summary: "reserved bits set in the \(attribute.peerName) header", attribute: attribute)
    }
    static func unknownMandatoryAVP(offset: Int, attribute: AVPAttribute) -> Self {
        .init(
            .unknownMandatoryAVP, field: "AVP \(attribute)", offset: offset,
            detail: "unrecognised AVP with M bit set", summary: "unrecognised mandatory \(attribute.peerName)",
            attribute: attribute, isMandatory: true)
    }
    static func unknownMessageType(_ value: UInt16, offset: Int, mandatory: Bool) -> Self {
        .init(
            .unknownMessageType, field: "Message Type", offset: offset, detail: "value \(value)",
            summary: "unknown message type \(value)", attribute: AVPAttribute(vendorID: 0, type: 0),
            isMandatory: mandatory)
    }
    static func messageTypeNotFirst(offset: Int, attribute: AVPAttribute) -> Self {
        .init(
            .messageTypeNotFirst, field: "first AVP", offset: offset, detail: "found \(attribute)",
            summary: "first AVP is \(attribute.peerName), not Message Type", attribute: attribute)
    }
    static func hiddenAVPWithoutSecret(offset: Int?, attribute: AVPAttribute) -> Self {
        .init(
            .hiddenAVPWithoutSecret, field: "AVP \(attribute)", offset: offset, detail: "no shared secret",
            summary: "hidden \(attribute.peerName) but no shared secret is configured", attribute: attribute)
    }
    static func hiddenAVPWithoutRandomVector(offset: Int?, attribute: AVPAttribute) -> Self {
        .init(
            .hiddenAVPWithoutRandomVector, field: "AVP \(attribute)", offset: offset,
            detail: "no preceding Random Vector AVP",
            summary: "hidden \(attribute.peerName) without a preceding Random Vector AVP", attribute: attribute)
    }
    static func invalidHiddenAVP(offset: Int, detail: String, attribute: AVPAttribute) -> Self {
        .init(
            .invalidHiddenAVP, field: "AVP \(attribute)", offset: offset, detail: detail,
            summary: "hidden \(attribute.peerName) does not unhide with the shared secret", attribute: attribute)
    }
    static func avpMayNotBeHidden(_ attribute: AVPAttribute) -> Self {
        .init(
            .avpMayNotBeHidden, field: "AVP \(attribute)", offset: nil, detail: "RFC 2661 forbids hiding it",
            summary: "\(attribute.peerName) may not be hidden", attribute: attribute)
    }
    static func valueTooLong(_ field: String, length: Int, limit: Int) -> Self {
        .init(
            .valueTooLong, field: field, offset: nil, detail: "\(length) bytes, limit \(limit)",
            summary: "\(field) too long: \(length) bytes, limit \(limit)")
    }
    static func missingMandatoryAVP(_ type: AVPType, in messageType: MessageType) -> Self {
        var error = Self(
            .missingMandatoryAVP, field: type.name, offset: nil, detail: "required",
            summary: "missing \(type.name) AVP",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue), isMandatory: true)
        error.messageType = messageType
        return error
    }
    static func unexpectedAVP(_ type: AVPType, in messageType: MessageType, index: Int) -> Self {
        var error = Self(
            .unexpectedAVP, field: type.name, offset: nil, detail: "AVP #\(index) is not allowed here",
            summary: "\(type.name) AVP not allowed",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue))
        error.messageType = messageType
        return error
    }
    static func duplicateAVP(_ type: AVPType, in messageType: MessageType, index: Int) -> Self {
        var error = Self(
            .duplicateAVP, field: type.name, offset: nil, detail: "AVP #\(index) repeats it",
            summary: "duplicate \(type.name) AVP",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue))
        error.messageType = messageType
        return error
    }
}

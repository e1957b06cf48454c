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
    /// The parsed header, when the failure happened after it was read.
    public internal(set) var header: L2TPHeader?
    /// The message type, when the Message Type AVP had been read.
    public internal(set) var messageType: MessageType?
    /// Attribute of the offending AVP (vendor id, attribute type), when relevant.
    public let attribute: AVPAttribute?
    /// M bit of the offending AVP, when relevant.
    public let isMandatory: Bool

    init(
        _ code: Code, field: String, offset: Int?, detail: String = "",
        attribute: AVPAttribute? = nil, isMandatory: Bool = false
    ) {
        self.code = code
        self.field = field
        self.offset = offset
        self.detail = detail
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
        .init(.truncated, field: field, offset: offset, detail: "need \(need) bytes, have \(have)")
    }
    static func unsupportedVersion(_ version: UInt16) -> Self {
        .init(.unsupportedVersion, field: "version", offset: 1, detail: "version \(version), expected 2")
    }
    static func reservedBitsSet(_ flags: UInt16) -> Self {
        .init(.reservedBitsSet, field: "flags", offset: 0, detail: "flags 0x\(String(flags, radix: 16))")
    }
    static func invalidControlHeader(_ detail: String) -> Self {
        .init(.invalidControlHeader, field: "flags", offset: 0, detail: detail)
    }
    static func invalidLengthField(_ field: String, offset: Int, value: Int, detail: String) -> Self {
        .init(.invalidLengthField, field: field, offset: offset, detail: "value \(value): \(detail)")
    }
    static func invalidAVPLength(offset: Int, length: Int, remaining: Int, attribute: AVPAttribute?) -> Self {
        .init(
            .invalidAVPLength, field: "AVP length", offset: offset,
            detail: "length \(length), \(remaining) bytes remain (minimum 6)", attribute: attribute)
    }
    static func invalidAVPValue(_ field: String, offset: Int, detail: String, attribute: AVPAttribute) -> Self {
        .init(.invalidAVPValue, field: field, offset: offset, detail: detail, attribute: attribute)
    }
    static func reservedAVPBitsSet(offset: Int, attribute: AVPAttribute) -> Self {
        .init(.reservedAVPBitsSet, field: "AVP flags", offset: offset, attribute: attribute)
    }
    static func unknownMandatoryAVP(offset: Int, attribute: AVPAttribute) -> Self {
        .init(
            .unknownMandatoryAVP, field: "AVP \(attribute)", offset: offset,
            detail: "unrecognised AVP with M bit set", attribute: attribute, isMandatory: true)
    }
    static func unknownMessageType(_ value: UInt16, offset: Int, mandatory: Bool) -> Self {
        .init(
            .unknownMessageType, field: "Message Type", offset: offset, detail: "value \(value)",
            attribute: AVPAttribute(vendorID: 0, type: 0), isMandatory: mandatory)
    }
    static func messageTypeNotFirst(offset: Int, attribute: AVPAttribute) -> Self {
        .init(
            .messageTypeNotFirst, field: "first AVP", offset: offset, detail: "found \(attribute)", attribute: attribute
        )
    }
    static func hiddenAVPWithoutSecret(offset: Int?, attribute: AVPAttribute) -> Self {
        .init(
            .hiddenAVPWithoutSecret, field: "AVP \(attribute)", offset: offset, detail: "no shared secret",
            attribute: attribute)
    }
    static func hiddenAVPWithoutRandomVector(offset: Int?, attribute: AVPAttribute) -> Self {
        .init(
            .hiddenAVPWithoutRandomVector, field: "AVP \(attribute)", offset: offset,
            detail: "no preceding Random Vector AVP", attribute: attribute)
    }
    static func invalidHiddenAVP(offset: Int, detail: String, attribute: AVPAttribute) -> Self {
        .init(.invalidHiddenAVP, field: "AVP \(attribute)", offset: offset, detail: detail, attribute: attribute)
    }
    static func avpMayNotBeHidden(_ attribute: AVPAttribute) -> Self {
        .init(
            .avpMayNotBeHidden, field: "AVP \(attribute)", offset: nil, detail: "RFC 2661 forbids hiding it",
            attribute: attribute)
    }
    static func valueTooLong(_ field: String, length: Int, limit: Int) -> Self {
        .init(.valueTooLong, field: field, offset: nil, detail: "\(length) bytes, limit \(limit)")
    }
    static func missingMandatoryAVP(_ type: AVPType, in messageType: MessageType) -> Self {
        var error = Self(
            .missingMandatoryAVP, field: type.name, offset: nil, detail: "required in \(messageType)",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue), isMandatory: true)
        error.messageType = messageType
        return error
    }
    static func unexpectedAVP(_ type: AVPType, in messageType: MessageType, index: Int) -> Self {
        var error = Self(
            .unexpectedAVP, field: type.name, offset: nil, detail: "AVP #\(index) not allowed in \(messageType)",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue))
        error.messageType = messageType
        return error
    }
    static func duplicateAVP(_ type: AVPType, in messageType: MessageType, index: Int) -> Self {
        var error = Self(
            .duplicateAVP, field: type.name, offset: nil, detail: "AVP #\(index) repeats it in \(messageType)",
            attribute: AVPAttribute(vendorID: 0, type: type.rawValue))
        error.messageType = messageType
        return error
    }
}

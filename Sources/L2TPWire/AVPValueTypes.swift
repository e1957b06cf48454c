// Small structured values carried by IETF AVPs (RFC 2661 4.4).

/// Protocol Version AVP (RFC 2661 4.4.3): version 1, revision 0 for L2TPv2.
public struct ProtocolVersion: Hashable, Sendable, CustomStringConvertible {
    public var version: UInt8
    public var revision: UInt8
    public init(version: UInt8, revision: UInt8) {
        self.version = version
        self.revision = revision
    }
    /// The only version RFC 2661 defines.
    public static let rfc2661 = ProtocolVersion(version: 1, revision: 0)
    public var description: String { "\(version).\(revision)" }
}

/// Framing Capabilities and Framing Type bits (RFC 2661 4.4.3, 4.4.5):
/// S (synchronous) is the least significant bit, A (asynchronous) the next.
public struct FramingCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let synchronous = FramingCapabilities(rawValue: 1 << 0)
    public static let asynchronous = FramingCapabilities(rawValue: 1 << 1)
}

/// Bearer Capabilities and Bearer Type bits (RFC 2661 4.4.3, 4.4.5):
/// D (digital) is the least significant bit, A (analog) the next.
public struct BearerCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let digital = BearerCapabilities(rawValue: 1 << 0)
    public static let analog = BearerCapabilities(rawValue: 1 << 1)
}

/// Q.931 Cause Code AVP (RFC 2661 4.4.5).
public struct Q931Cause: Hashable, Sendable {
    public var causeCode: UInt16
    public var causeMessage: UInt8
    /// Optional ASCII advisory text.
    public var advisory: [UInt8]
    public init(causeCode: UInt16, causeMessage: UInt8, advisory: [UInt8] = []) {
        self.causeCode = causeCode
        self.causeMessage = causeMessage
        self.advisory = advisory
    }
}

/// Proxy Authen Type AVP value (RFC 2661 4.4.5). A struct rather than an
/// enum so that values this implementation does not know survive a round trip.
public struct ProxyAuthenType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let reserved = ProxyAuthenType(rawValue: 0)
    public static let textual = ProxyAuthenType(rawValue: 1)
    public static let chap = ProxyAuthenType(rawValue: 2)
    public static let pap = ProxyAuthenType(rawValue: 3)
    public static let none = ProxyAuthenType(rawValue: 4)
    public static let msCHAPv1 = ProxyAuthenType(rawValue: 5)
}

/// Call Errors AVP (RFC 2661 4.4.6): 2 reserved octets then six counters.
public struct CallErrors: Hashable, Sendable {
    public var crcErrors: UInt32
    public var framingErrors: UInt32
    public var hardwareOverruns: UInt32
    public var bufferOverruns: UInt32
    public var timeoutErrors: UInt32
    public var alignmentErrors: UInt32
    public init(
        crcErrors: UInt32 = 0, framingErrors: UInt32 = 0, hardwareOverruns: UInt32 = 0,
        bufferOverruns: UInt32 = 0, timeoutErrors: UInt32 = 0, alignmentErrors: UInt32 = 0
    ) {
        self.crcErrors = crcErrors
        self.framingErrors = framingErrors
        self.hardwareOverruns = hardwareOverruns
        self.bufferOverruns = bufferOverruns
        self.timeoutErrors = timeoutErrors
        self.alignmentErrors = alignmentErrors
    }
}

/// ACCM AVP (RFC 2661 4.4.6): 2 reserved octets, send and receive ACCM.
public struct ACCM: Hashable, Sendable {
    public var sendACCM: UInt32
    public var receiveACCM: UInt32
    public init(sendACCM: UInt32, receiveACCM: UInt32) {
        self.sendACCM = sendACCM
        self.receiveACCM = receiveACCM
    }
}

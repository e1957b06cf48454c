/// Why a datagram is not a valid pppd event. Messages name the offset.
public struct PPPEventError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case truncatedHeader(length: Int)
        case oversize(length: Int)
        case badSignature(UInt32)
        case lengthMismatch(declared: Int, actual: Int)
        case unknownMessageType(UInt16)
        case truncatedTLV(offset: Int)
        case misalignedTLV(offset: Int)
        case badTLVLength(type: UInt16, length: Int, offset: Int)
        case missingTLV(PPPEventWire.TLVType, messageType: UInt16)
        case valueTooLong(type: UInt16, length: Int)
    }

    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// Shorter than the 8-byte header.
    public static func truncatedHeader(length: Int) -> Self { .init(.truncatedHeader(length: length)) }
    /// Longer than 512 bytes.
    public static func oversize(length: Int) -> Self { .init(.oversize(length: length)) }
    public static func badSignature(_ value: UInt32) -> Self { .init(.badSignature(value)) }
    /// The header's length disagrees with the datagram's size.
    public static func lengthMismatch(declared: Int, actual: Int) -> Self {
        .init(.lengthMismatch(declared: declared, actual: actual))
    }
    public static func unknownMessageType(_ type: UInt16) -> Self { .init(.unknownMessageType(type)) }
    /// A TLV header or value runs past the end of the message.
    public static func truncatedTLV(offset: Int) -> Self { .init(.truncatedTLV(offset: offset)) }
    /// A TLV's value fits but its padding to 4 bytes does not.
    public static func misalignedTLV(offset: Int) -> Self { .init(.misalignedTLV(offset: offset)) }
    /// A fixed-size TLV (ids, ACCM, unit, state) with another length.
    public static func badTLVLength(type: UInt16, length: Int, offset: Int) -> Self {
        .init(.badTLVLength(type: type, length: length, offset: offset))
    }
    public static func missingTLV(_ type: PPPEventWire.TLVType, messageType: UInt16) -> Self {
        .init(.missingTLV(type, messageType: messageType))
    }
    /// Encoding only: a value does not fit a 16-bit length or a 512-byte message.
    public static func valueTooLong(type: UInt16, length: Int) -> Self {
        .init(.valueTooLong(type: type, length: length))
    }

    public var description: String {
        switch code {
        case .truncatedHeader(let length):
            "pppd event: \(length) bytes, shorter than the \(PPPEventWire.headerLength)-byte header"
        case .oversize(let length):
            "pppd event: \(length) bytes, more than \(PPPEventWire.maximumMessageLength)"
        case .badSignature(let value):
            "pppd event: signature 0x\(String(value, radix: 16)) at offset 0, expected 0x6b6c7831"
        case .lengthMismatch(let declared, let actual):
            "pppd event: header length \(declared) at offset 6, but \(actual) data bytes follow"
        case .unknownMessageType(let type): "pppd event: unknown message type \(type) at offset 4"
        case .truncatedTLV(let offset): "pppd event: TLV at offset \(offset) runs past the end of the message"
        case .misalignedTLV(let offset): "pppd event: TLV at offset \(offset) is not padded to a 4-byte boundary"
        case .badTLVLength(let type, let length, let offset):
            "pppd event: TLV type \(type) at offset \(offset) has length \(length)"
        case .missingTLV(let type, let messageType):
            "pppd event: message type \(messageType) lacks the \(type) TLV"
        case .valueTooLong(let type, let length): "pppd event: TLV type \(type) value of \(length) bytes is too long"
        }
    }
}

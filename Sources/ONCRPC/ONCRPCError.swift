/// An error from the sans-IO ONC RPC layer: XDR decoding, record marking or RPC
/// message structure. Wraps a private code so new cases can be added without
/// breaking callers; equality compares the code only.
public struct ONCRPCError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case truncated
        case lengthExceedsLimit
        case invalidBoolean
        case invalidDiscriminant
        case nonZeroPadding
        case invalidUTF8
        case trailingBytes
        case recordTooLarge
        case unsupportedMessageType
    }

    private let code: Code
    /// Human-readable detail naming the field and byte offset.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail }

    public static func == (lhs: ONCRPCError, rhs: ONCRPCError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    // MARK: - Factories

    /// Input ended inside a value (RFC 4506 4: every item is a multiple of 4 bytes).
    public static func truncated(field: String, offset: Int, needed: Int, available: Int) -> ONCRPCError {
        .init(.truncated, "XDR \(field) at offset \(offset): needs \(needed) bytes, only \(available) left")
    }

    /// A counted item (string, opaque, array) declares more than its bound or the input can hold.
    public static func lengthExceedsLimit(field: String, offset: Int, length: UInt32, limit: Int) -> ONCRPCError {
        .init(.lengthExceedsLimit, "XDR \(field) at offset \(offset): length \(length) exceeds limit \(limit)")
    }

    /// RFC 4506 4.4: a boolean is an enum with values 0 and 1 only.
    public static func invalidBoolean(field: String, offset: Int, value: UInt32) -> ONCRPCError {
        .init(.invalidBoolean, "XDR \(field) at offset \(offset): boolean value \(value) is neither 0 nor 1")
    }

    /// An enum or union discriminant outside the declared set (RFC 4506 4.3, 4.15).
    public static func invalidDiscriminant(field: String, offset: Int, value: Int64) -> ONCRPCError {
        .init(.invalidDiscriminant, "XDR \(field) at offset \(offset): unknown discriminant \(value)")
    }

    /// RFC 4506 4.9/4.10: residual bytes must be zero.
    public static func nonZeroPadding(field: String, offset: Int) -> ONCRPCError {
        .init(.nonZeroPadding, "XDR \(field) at offset \(offset): padding bytes are not zero")
    }

    public static func invalidUTF8(field: String, offset: Int) -> ONCRPCError {
        .init(.invalidUTF8, "XDR \(field) at offset \(offset): string is not valid UTF-8")
    }

    /// A complete value was decoded but bytes remain (arguments longer than the procedure takes).
    public static func trailingBytes(field: String, offset: Int, count: Int) -> ONCRPCError {
        .init(.trailingBytes, "XDR \(field): \(count) unexpected bytes after offset \(offset)")
    }

    /// RFC 5531 11: a record whose fragments add up to more than the receiver accepts.
    public static func recordTooLarge(length: Int, limit: Int) -> ONCRPCError {
        .init(.recordTooLarge, "RPC record of at least \(length) bytes exceeds the limit of \(limit) bytes")
    }

    /// RFC 5531 9: msg_type must be CALL (0) or REPLY (1).
    public static func unsupportedMessageType(_ value: UInt32, offset: Int) -> ONCRPCError {
        .init(.unsupportedMessageType, "RPC msg_type at offset \(offset): \(value) is neither CALL nor REPLY")
    }
}

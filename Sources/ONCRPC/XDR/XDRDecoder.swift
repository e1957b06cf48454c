/// Reads XDR (RFC 4506) items from a byte array with bounds checks everywhere:
/// hostile input yields `ONCRPCError`, never a trap or a huge allocation.
public struct XDRDecoder: Sendable {
    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remainingCount: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset >= bytes.count }

    /// The bytes not yet consumed (e.g. procedure arguments after the call header).
    public var remainingBytes: [UInt8] { Array(bytes[offset...]) }

    /// Throws unless every byte was consumed.
    public func finish(field: String) throws {
        if remainingCount != 0 {
            throw ONCRPCError.trailingBytes(field: field, offset: offset, count: remainingCount)
        }
    }

    // MARK: - Integers (RFC 4506 4.1, 4.2, 4.5)

    public mutating func decodeUInt32(field: String = "unsigned int") throws -> UInt32 {
        try need(4, field: field)
        let value =
            UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
        offset += 4
        return value
    }

    public mutating func decodeInt32(field: String = "int") throws -> Int32 {
        Int32(bitPattern: try decodeUInt32(field: field))
    }

    public mutating func decodeUInt64(field: String = "unsigned hyper") throws -> UInt64 {
        try need(8, field: field)
        let high = try decodeUInt32(field: field)
        let low = try decodeUInt32(field: field)
        return UInt64(high) << 32 | UInt64(low)
    }

    public mutating func decodeInt64(field: String = "hyper") throws -> Int64 {
        Int64(bitPattern: try decodeUInt64(field: field))
    }

    /// RFC 4506 4.4: only 0 and 1 are booleans.
    public mutating func decodeBool(field: String = "bool") throws -> Bool {
        let at = offset
        switch try decodeUInt32(field: field) {
        case 0: return false
        case 1: return true
        case let other: throw ONCRPCError.invalidBoolean(field: field, offset: at, value: other)
        }
    }

    // MARK: - Opaque data and strings (RFC 4506 4.9, 4.10, 4.11)

    public mutating func decodeFixedOpaque(count: Int, field: String = "opaque") throws -> [UInt8] {
        let padded = count + (4 - count % 4) % 4
        try need(padded, field: field)
        let data = Array(bytes[offset..<(offset + count)])
        for index in (offset + count)..<(offset + padded) where bytes[index] != 0 {
            throw ONCRPCError.nonZeroPadding(field: field, offset: index)
        }
        offset += padded
        return data
    }

    /// Variable-length opaque no longer than `maxLength` (the `<n>` bound).
    public mutating func decodeVariableOpaque(maxLength: Int = Int(UInt32.max), field: String = "opaque<>")
        throws -> [UInt8]
    {
        let at = offset
        let length = try decodeUInt32(field: field)
        let limit = min(maxLength, remainingCount)
        guard length <= limit else {
            throw ONCRPCError.lengthExceedsLimit(field: field, offset: at, length: length, limit: limit)
        }
        return try decodeFixedOpaque(count: Int(length), field: field)
    }

    /// A UTF-8 string no longer than `maxLength` bytes.
    public mutating func decodeString(maxLength: Int = Int(UInt32.max), field: String = "string") throws -> String {
        let at = offset
        let data = try decodeVariableOpaque(maxLength: maxLength, field: field)
        guard let string = String(validating: data, as: UTF8.self) else {
            throw ONCRPCError.invalidUTF8(field: field, offset: at)
        }
        return string
    }

    // MARK: - Composites (RFC 4506 4.13, 4.19)

    /// Variable-length array. The count is checked against `maxCount` and against
    /// the input left (every element takes at least four bytes), so a forged count
    /// cannot make us reserve gigabytes.
    public mutating func decodeArray<Element: XDRDecodable>(
        of type: Element.Type = Element.self, maxCount: Int = Int(UInt32.max), field: String = "array"
    ) throws -> [Element] {
        let at = offset
        let count = try decodeUInt32(field: field)
        let limit = min(maxCount, remainingCount / 4)
        guard count <= limit else {
            throw ONCRPCError.lengthExceedsLimit(field: field, offset: at, length: count, limit: limit)
        }
        var elements: [Element] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count {
            elements.append(try Element(from: &self))
        }
        return elements
    }

    /// Optional data (`*`): a boolean then, if TRUE, the value.
    public mutating func decodeOptional<Value: XDRDecodable>(
        of type: Value.Type = Value.self, field: String = "optional"
    ) throws -> Value? {
        try decodeBool(field: field) ? try Value(from: &self) : nil
    }

    public mutating func decode<Value: XDRDecodable>(_ type: Value.Type = Value.self) throws -> Value {
        try Value(from: &self)
    }

    private func need(_ count: Int, field: String) throws {
        if remainingCount < count {
            throw ONCRPCError.truncated(field: field, offset: offset, needed: count, available: remainingCount)
        }
    }
}

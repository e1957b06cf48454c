/// A type with an XDR (RFC 4506) representation.
public protocol XDREncodable {
    func encode(to encoder: inout XDREncoder)
}

/// A type decodable from XDR. Implementations must never trap on bad input: they
/// throw `ONCRPCError` naming the field and offset.
public protocol XDRDecodable {
    init(from decoder: inout XDRDecoder) throws
}

public typealias XDRCodable = XDREncodable & XDRDecodable

extension XDREncodable {
    /// The value's XDR bytes on their own.
    public var xdrBytes: [UInt8] {
        var encoder = XDREncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension XDRDecodable {
    /// Decodes a value that must occupy all of `bytes` (procedure arguments and results).
    public init(xdrBytes bytes: [UInt8]) throws {
        var decoder = XDRDecoder(bytes)
        try self.init(from: &decoder)
        try decoder.finish(field: String(describing: Self.self))
    }
}

extension UInt32: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeUInt32() }
}

extension Int32: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeInt32() }
}

extension UInt64: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeUInt64() }
}

extension Int64: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeInt64() }
}

extension Bool: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeBool() }
}

extension String: XDRCodable {
    public func encode(to encoder: inout XDREncoder) { encoder.encode(self) }
    public init(from decoder: inout XDRDecoder) throws { self = try decoder.decodeString() }
}

import ONCRPC

/// A typed value in a reply record. `l2tp_rpc.x`: `union l2tp_value`.
public enum ManagementValue: Hashable, Sendable, XDRCodable {
    /// L2TP_VALUE_NONE: a field that is known but unset.
    case none
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    /// An IPv4 address, as the 32-bit number a.b.c.d = a<<24 | b<<16 | c<<8 | d.
    case ipv4(UInt32)

    enum Kind: UInt32 {
        case none = 0
        case string = 1
        case int = 2
        case uint = 3
        case bool = 4
        case ipv4 = 5
    }

    public func encode(to encoder: inout XDREncoder) {
        switch self {
        case .none: encoder.encode(Kind.none.rawValue)
        case .string(let value):
            encoder.encode(Kind.string.rawValue)
            encoder.encode(value)
        case .int(let value):
            encoder.encode(Kind.int.rawValue)
            encoder.encode(value)
        case .uint(let value):
            encoder.encode(Kind.uint.rawValue)
            encoder.encode(value)
        case .bool(let value):
            encoder.encode(Kind.bool.rawValue)
            encoder.encode(value)
        case .ipv4(let value):
            encoder.encode(Kind.ipv4.rawValue)
            encoder.encode(value)
        }
    }

    public init(from decoder: inout XDRDecoder) throws {
        let at = decoder.offset
        let raw = try decoder.decodeUInt32(field: "l2tp_value.type")
        guard let kind = Kind(rawValue: raw) else {
            throw ONCRPCError.invalidDiscriminant(field: "l2tp_value.type", offset: at, value: Int64(raw))
        }
        switch kind {
        case .none: self = .none
        case .string: self = .string(try decoder.decodeString(field: "l2tp_value.string"))
        case .int: self = .int(try decoder.decodeInt64(field: "l2tp_value.int"))
        case .uint: self = .uint(try decoder.decodeUInt64(field: "l2tp_value.uint"))
        case .bool: self = .bool(try decoder.decodeBool(field: "l2tp_value.bool"))
        case .ipv4: self = .ipv4(try decoder.decodeUInt32(field: "l2tp_value.ipv4"))
        }
    }

    /// The value as the CLI prints it (dotted quad, yes/no, decimal).
    public var displayText: String {
        switch self {
        case .none: ""
        case .string(let value): value
        case .int(let value): String(value)
        case .uint(let value): String(value)
        case .bool(let value): value ? "yes" : "no"
        case .ipv4(let value): "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
        }
    }
}

/// A named value. `l2tp_rpc.x`: `l2tp_field`.
public struct ManagementField: Hashable, Sendable, XDRCodable {
    public var name: String
    public var value: ManagementValue

    public init(_ name: String, _ value: ManagementValue) {
        self.name = name
        self.value = value
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(name)
        value.encode(to: &encoder)
    }

    public init(from decoder: inout XDRDecoder) throws {
        name = try decoder.decodeString(maxLength: L2TPManagementProtocol.maxNameLength, field: "l2tp_field.name")
        value = try ManagementValue(from: &decoder)
    }
}

/// One object in a reply (a tunnel, a session, a profile, a statistics row):
/// its kind and its fields in display order. `l2tp_rpc.x`: `l2tp_record`.
public struct ManagementRecord: Hashable, Sendable, XDRCodable {
    public var kind: String
    public var fields: [ManagementField]

    public init(kind: String, fields: [ManagementField]) {
        self.kind = kind
        self.fields = fields
    }

    public subscript(name: String) -> ManagementValue? {
        fields.first(where: { $0.name == name })?.value
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(kind)
        encoder.encode(array: fields)
    }

    public init(from decoder: inout XDRDecoder) throws {
        kind = try decoder.decodeString(maxLength: L2TPManagementProtocol.maxNameLength, field: "l2tp_record.kind")
        fields = try decoder.decodeArray(field: "l2tp_record.fields")
    }
}

/// Appends XDR (RFC 4506) items to a byte array. Every item is a multiple of four
/// bytes, big-endian, with zero padding (RFC 4506 3).
public struct XDREncoder: Sendable {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Integers (RFC 4506 4.1, 4.2, 4.5)

    public mutating func encode(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func encode(_ value: Int32) {
        encode(UInt32(bitPattern: value))
    }

    /// Unsigned hyper integer: 8 bytes, most significant word first.
    public mutating func encode(_ value: UInt64) {
        encode(UInt32(truncatingIfNeeded: value >> 32))
        encode(UInt32(truncatingIfNeeded: value))
    }

    /// Hyper integer.
    public mutating func encode(_ value: Int64) {
        encode(UInt64(bitPattern: value))
    }

    /// RFC 4506 4.4: `bool` is an enum { FALSE = 0, TRUE = 1 }.
    public mutating func encode(_ value: Bool) {
        encode(UInt32(value ? 1 : 0))
    }

    // MARK: - Opaque data and strings (RFC 4506 4.9, 4.10, 4.11)

    /// Fixed-length opaque: the bytes, then zero padding to a multiple of four.
    public mutating func encodeFixedOpaque(_ data: some Collection<UInt8>) {
        bytes.append(contentsOf: data)
        pad(data.count)
    }

    /// Variable-length opaque: a length word, the bytes, zero padding.
    public mutating func encodeVariableOpaque(_ data: some Collection<UInt8>) {
        encode(UInt32(data.count))
        encodeFixedOpaque(data)
    }

    /// String: UTF-8 bytes encoded like variable-length opaque.
    public mutating func encode(_ value: String) {
        encodeVariableOpaque(Array(value.utf8))
    }

    // MARK: - Composites (RFC 4506 4.13, 4.19)

    /// Variable-length array: a count word, then each element.
    public mutating func encode<Element: XDREncodable>(array: [Element]) {
        encode(UInt32(array.count))
        for element in array { element.encode(to: &self) }
    }

    /// Optional data (`*`): a boolean "present" word, then the value if present.
    public mutating func encode<Value: XDREncodable>(optional: Value?) {
        if let value = optional {
            encode(true)
            value.encode(to: &self)
        } else {
            encode(false)
        }
    }

    public mutating func encode<Value: XDREncodable>(_ value: Value) {
        value.encode(to: &self)
    }

    /// Appends already-encoded XDR bytes (e.g. procedure results built elsewhere).
    public mutating func appendEncoded(_ data: some Collection<UInt8>) {
        bytes.append(contentsOf: data)
    }

    private mutating func pad(_ count: Int) {
        let residue = (4 - count % 4) % 4
        for _ in 0..<residue { bytes.append(0) }
    }
}

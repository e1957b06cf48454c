import NIOCore

/// The L2TPv2 header (RFC 2661 3.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
/// |           Tunnel ID           |           Session ID          |
/// |             Ns (opt)          |             Nr (opt)          |
/// |      Offset Size (opt)        |    Offset pad... (opt)
/// ```
///
/// Optional fields are modelled as optionals: `length` is present iff the L
/// bit is set, `ns`/`nr` iff S, `offsetSize` iff O.
public struct L2TPHeader: Hashable, Sendable {
    /// T bit: control message (RFC 2661 3.1).
    public var isControl: Bool
    /// L bit. Control messages always carry a length.
    public var hasLength: Bool
    /// P bit: data message to be given preferential treatment (RFC 2661 3.1).
    public var priority: Bool
    /// The Length field as received, or as last encoded.
    public var length: UInt16?
    public var tunnelID: UInt16
    public var sessionID: UInt16
    /// Ns and Nr, both present iff the S bit is set.
    public var ns: UInt16?
    public var nr: UInt16?
    /// Offset Size (O bit); the padding that follows it is skipped.
    public var offsetSize: UInt16?

    public init(
        isControl: Bool, hasLength: Bool, priority: Bool = false, length: UInt16? = nil,
        tunnelID: UInt16, sessionID: UInt16, ns: UInt16? = nil, nr: UInt16? = nil, offsetSize: UInt16? = nil
    ) {
        self.isControl = isControl
        self.hasLength = hasLength
        self.priority = priority
        self.length = length
        self.tunnelID = tunnelID
        self.sessionID = sessionID
        self.ns = ns
        self.nr = nr
        self.offsetSize = offsetSize
    }

    /// S bit.
    public var hasSequence: Bool { ns != nil || nr != nil }

    /// Bytes the header occupies on the wire, including offset padding.
    public var encodedLength: Int {
        var n = 6
        if hasLength { n += 2 }
        if hasSequence { n += 4 }
        if let offsetSize { n += 2 + Int(offsetSize) }
        return n
    }

    // MARK: - Flag bits (first 16 bits of the header)

    static let flagT: UInt16 = 0x8000
    static let flagL: UInt16 = 0x4000
    static let flagS: UInt16 = 0x0800
    static let flagO: UInt16 = 0x0200
    static let flagP: UInt16 = 0x0100
    static let reservedMask: UInt16 = 0x34F0
    static let versionMask: UInt16 = 0x000F
    static let version: UInt16 = 2

    /// Control message header length: flags, length, ids, Ns, Nr.
    public static let controlHeaderLength = 12
}

// MARK: - Decoding

extension L2TPHeader {
    /// Result of parsing a header: where the payload (AVPs or PPP frame) lies,
    /// as absolute ByteBuffer indices.
    struct Parsed {
        var header: L2TPHeader
        var payloadStart: Int
        var messageEnd: Int
    }

    /// Parses the header at the buffer's reader index. Never reads beyond the
    /// readable bytes; all offsets in errors are relative to the header start.
    static func parse(_ buffer: ByteBuffer) throws(L2TPWireError) -> Parsed {
        let base = buffer.readerIndex
        let available = buffer.readableBytes
        func need(_ field: String, at offset: Int, _ size: Int) throws(L2TPWireError) {
            if offset + size > available {
                throw .truncated(field, offset: offset, need: offset + size, have: available)
            }
        }
        try need("flags", at: 0, 2)
        let flags = buffer.getInteger(at: base, as: UInt16.self)!
        let version = flags & versionMask
        if version != Self.version { throw .unsupportedVersion(version) }
        if flags & reservedMask != 0 { throw .reservedBitsSet(flags) }
        let isControl = flags & flagT != 0
        let hasLength = flags & flagL != 0
        let hasSequence = flags & flagS != 0
        let hasOffset = flags & flagO != 0
        let priority = flags & flagP != 0
        if isControl {
            // RFC 2661 3.1: L and S MUST be 1, O and P MUST be 0 for control messages.
            if !hasLength || !hasSequence { throw .invalidControlHeader("control message without L and S bits") }
            if hasOffset || priority { throw .invalidControlHeader("control message with O or P bit") }
        }
        var offset = 2
        var length: UInt16?
        if hasLength {
            try need("length", at: offset, 2)
            length = buffer.getInteger(at: base + offset, as: UInt16.self)!
            offset += 2
        }
        try need("tunnel id", at: offset, 4)
        let tunnelID = buffer.getInteger(at: base + offset, as: UInt16.self)!
        let sessionID = buffer.getInteger(at: base + offset + 2, as: UInt16.self)!
        offset += 4
        var ns: UInt16?
        var nr: UInt16?
        if hasSequence {
            try need("Ns/Nr", at: offset, 4)
            ns = buffer.getInteger(at: base + offset, as: UInt16.self)!
            nr = buffer.getInteger(at: base + offset + 2, as: UInt16.self)!
            offset += 4
        }
        var offsetSize: UInt16?
        if hasOffset {
            try need("offset size", at: offset, 2)
            let size = buffer.getInteger(at: base + offset, as: UInt16.self)!
            offset += 2
            try need("offset padding", at: offset, Int(size))
            offset += Int(size)
            offsetSize = size
        }
        var messageEnd = available
        if let length {
            let value = Int(length)
            if value < offset {
                throw .invalidLengthField(
                    "length", offset: 2, value: value, detail: "shorter than the \(offset)-byte header")
            }
            if value > available {
                throw .invalidLengthField(
                    "length", offset: 2, value: value, detail: "datagram has only \(available) bytes")
            }
            // Bytes beyond Length (e.g. link padding) are ignored.
            messageEnd = value
        }
        let header = L2TPHeader(
            isControl: isControl, hasLength: hasLength, priority: priority, length: length,
            tunnelID: tunnelID, sessionID: sessionID, ns: ns, nr: nr, offsetSize: offsetSize)
        return Parsed(header: header, payloadStart: base + offset, messageEnd: base + messageEnd)
    }

    /// Decodes a header and returns it with the payload following it (AVPs
    /// for control messages, the PPP frame for data messages).
    public static func decode(_ buffer: ByteBuffer) throws(L2TPWireError) -> (header: L2TPHeader, payload: ByteBuffer) {
        let parsed = try parse(buffer)
        let payload = buffer.getSlice(at: parsed.payloadStart, length: parsed.messageEnd - parsed.payloadStart)!
        return (parsed.header, payload)
    }

    /// What the demultiplexer needs to route a datagram.
    public struct Peek: Hashable, Sendable {
        public var isControl: Bool
        public var tunnelID: UInt16
        public var sessionID: UInt16

        @inlinable
        public init(isControl: Bool, tunnelID: UInt16, sessionID: UInt16) {
            self.isControl = isControl
            self.tunnelID = tunnelID
            self.sessionID = sessionID
        }
    }

    /// Reads only the T bit and the tunnel/session ids, without validating
    /// anything beyond the version. Returns nil if the bytes cannot be an
    /// L2TPv2 header. Allocation-free.
    @inlinable
    public static func peek(_ buffer: ByteBuffer) -> Peek? {
        guard let flags = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            flags & 0x000F == 2
        else { return nil }
        let idOffset = buffer.readerIndex + (flags & 0x4000 != 0 ? 4 : 2)
        guard let tunnelID = buffer.getInteger(at: idOffset, as: UInt16.self),
            let sessionID = buffer.getInteger(at: idOffset + 2, as: UInt16.self)
        else { return nil }
        return Peek(isControl: flags & 0x8000 != 0, tunnelID: tunnelID, sessionID: sessionID)
    }
}

// MARK: - Encoding

extension L2TPHeader {
    /// Writes the header. If `hasLength` is set, the Length field is written
    /// from `length` (0 if nil); encoders that know the final size patch it
    /// with `patchLength`. Offset padding is written as zeros.
    public func write(into buffer: inout ByteBuffer) {
        var flags = Self.version
        if isControl { flags |= Self.flagT }
        if hasLength { flags |= Self.flagL }
        if hasSequence { flags |= Self.flagS }
        if offsetSize != nil { flags |= Self.flagO }
        if priority { flags |= Self.flagP }
        buffer.writeInteger(flags)
        if hasLength { buffer.writeInteger(length ?? 0) }
        buffer.writeInteger(tunnelID)
        buffer.writeInteger(sessionID)
        if hasSequence {
            buffer.writeInteger(ns ?? 0)
            buffer.writeInteger(nr ?? 0)
        }
        if let offsetSize {
            buffer.writeInteger(offsetSize)
            buffer.writeRepeatingByte(0, count: Int(offsetSize))
        }
    }
}

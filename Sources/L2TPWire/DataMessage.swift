import NIOCore

/// An L2TP data message (RFC 2661 3.1): a header and the PPP frame it carries.
///
/// Length, sequence numbers and offset are all optional for data messages;
/// the header records which were present. `payload` is a slice of the
/// received buffer (no copy).
public struct DataMessage: Hashable, Sendable {
    public var header: L2TPHeader
    public var payload: ByteBuffer

    public init(header: L2TPHeader, payload: ByteBuffer) {
        self.header = header
        self.payload = payload
    }

    /// Builds a data message. `ns`/`nr` set the S bit (both are sent, RFC 2661 3.1).
    public init(
        tunnelID: UInt16, sessionID: UInt16, ns: UInt16? = nil, nr: UInt16? = nil, hasLength: Bool = false,
        offsetSize: UInt16? = nil, priority: Bool = false, payload: ByteBuffer
    ) {
        let sequenced = ns != nil || nr != nil
        self.header = L2TPHeader(
            isControl: false, hasLength: hasLength, priority: priority, tunnelID: tunnelID, sessionID: sessionID,
            ns: sequenced ? (ns ?? 0) : nil, nr: sequenced ? (nr ?? 0) : nil, offsetSize: offsetSize)
        self.payload = payload
    }

    public var tunnelID: UInt16 { header.tunnelID }
    public var sessionID: UInt16 { header.sessionID }

    /// Decodes a data message (T bit clear).
    public static func decode(_ buffer: ByteBuffer) throws(L2TPWireError) -> DataMessage {
        let (header, payload) = try L2TPHeader.decode(buffer)
        guard !header.isControl else { throw .invalidControlHeader("T bit set: a control message") }
        return DataMessage(header: header, payload: payload)
    }

    /// Writes header and payload; fills in Length when the L bit is set.
    public func encode(into buffer: inout ByteBuffer) throws(L2TPWireError) {
        let total = header.encodedLength + payload.readableBytes
        var header = self.header
        if header.hasLength {
            guard total <= Int(UInt16.max) else {
                throw .valueTooLong("message length", length: total, limit: Int(UInt16.max))
            }
            header.length = UInt16(total)
        }
        header.write(into: &buffer)
        buffer.writeImmutableBuffer(payload)
    }
}

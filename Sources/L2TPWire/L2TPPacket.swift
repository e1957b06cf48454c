import NIOCore

/// A decoded L2TP datagram: control or data (RFC 2661 3.1, T bit).
public enum L2TPPacket: Hashable, Sendable {
    case control(ControlMessage)
    case data(DataMessage)

    /// Decodes one UDP payload. `secret` is needed only to unhide hidden AVPs.
    /// Throws `L2TPWireError`; see `ControlMessage.decode` for the context
    /// errors carry.
    public static func decode(_ bytes: ByteBuffer, secret: [UInt8]? = nil) throws(L2TPWireError) -> L2TPPacket {
        let parsed = try L2TPHeader.parse(bytes)
        if parsed.header.isControl {
            return .control(try ControlMessage.decodeBody(parsed, buffer: bytes, secret: secret))
        }
        let payload = bytes.getSlice(at: parsed.payloadStart, length: parsed.messageEnd - parsed.payloadStart)!
        return .data(DataMessage(header: parsed.header, payload: payload))
    }
}

import NIOCore
import Testing

@testable import L2TPWire

@Suite struct DataMessageTests {
    @Test func encodeDecodeAllHeaderVariants() throws {
        let payload = ByteBuffer(bytes: hex("ff03 c021 0101 0004"))
        let variants: [DataMessage] = [
            DataMessage(tunnelID: 1, sessionID: 2, payload: payload),
            DataMessage(tunnelID: 1, sessionID: 2, hasLength: true, payload: payload),
            DataMessage(tunnelID: 1, sessionID: 2, ns: 10, nr: 0, payload: payload),
            DataMessage(
                tunnelID: 1, sessionID: 2, ns: 10, nr: 3, hasLength: true, offsetSize: 4, priority: true,
                payload: payload),
            DataMessage(tunnelID: 0xFFFF, sessionID: 0xFFFF, offsetSize: 0, payload: ByteBuffer()),
        ]
        for message in variants {
            var out = ByteBuffer()
            try message.encode(into: &out)
            #expect(
                out.readableBytes == message.header.encodedLength + payload.readableBytes
                    || message.payload.readableBytes == 0)
            guard case .data(let decoded) = try L2TPPacket.decode(out) else {
                Issue.record("decoded as control")
                continue
            }
            #expect(decoded.payload == message.payload)
            #expect(decoded.header.ns == message.header.ns && decoded.header.nr == message.header.nr)
            #expect(decoded.header.offsetSize == message.header.offsetSize)
            #expect(decoded.header.priority == message.header.priority)
            #expect(decoded.header.hasLength == message.header.hasLength)
            if message.header.hasLength { #expect(Int(decoded.header.length!) == out.readableBytes) }
            #expect(decoded.tunnelID == message.tunnelID && decoded.sessionID == message.sessionID)
        }
    }

    @Test func knownBytes() throws {
        var out = ByteBuffer()
        try DataMessage(tunnelID: 5, sessionID: 6, ns: 1, nr: 2, hasLength: true, payload: ByteBuffer(bytes: [0xAA]))
            .encode(into: &out)
        #expect(bytes(out) == hex("4802 000d 0005 0006 0001 0002 aa"))
    }

    @Test func controlBytesAreNotData() {
        #expect(throws: L2TPWireError(.invalidControlHeader, field: "", offset: nil)) {
            try DataMessage.decode(buffer(hex("c802 000c 0000 0000 0000 0000")))
        }
    }
}

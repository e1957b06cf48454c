import NIOCore

/// libFuzzer-ready entry point for the reliability campaign: call it from
/// `LLVMFuzzerTestOneInput`. Decodes the bytes as an L2TP datagram with and
/// without a shared secret; whatever decodes must re-encode and decode to the
/// same value. Traps (so the fuzzer records a crasher) only on a broken
/// invariant; malformed input simply yields a typed error.
public func fuzzDecode(_ bytes: UnsafeRawBufferPointer) {
    if let problem = fuzzCheck(ByteBuffer(bytes: bytes)) {
        fatalError("L2TPWire invariant broken: \(problem)")
    }
}

/// The secret `fuzzDecode` tries, so that corpora can contain hidden AVPs.
public let fuzzSecret: [UInt8] = Array("fuzz".utf8)

/// Runs the decoder over `buffer` and returns a description of the first
/// broken invariant, or nil. Shared by `fuzzDecode` and the property tests.
func fuzzCheck(_ buffer: ByteBuffer) -> String? {
    let peek = L2TPHeader.peek(buffer)
    for secret in [nil, fuzzSecret] {
        let packet: L2TPPacket
        do {
            packet = try L2TPPacket.decode(buffer, secret: secret)
        } catch {
            if let offset = error.offset, offset < 0 || offset > buffer.readableBytes {
                return "error offset \(offset) outside the \(buffer.readableBytes)-byte input: \(error)"
            }
            continue
        }
        switch packet {
        case .control(let message):
            if let peek, peek != .init(isControl: true, tunnelID: message.tunnelID, sessionID: message.sessionID) {
                return "peek \(peek) disagrees with decode"
            }
            _ = try? MessageSpec.validate(message)
            let reencoded: ByteBuffer
            do {
                reencoded = try message.encoded(secret: secret)
            } catch {
                // Peers may hide AVPs RFC 2661 says must not be hidden; we accept them but will not send them so.
                if error.code == .avpMayNotBeHidden { continue }
                return "re-encode failed: \(error)"
            }
            guard let again = try? ControlMessage.decode(reencoded, secret: secret) else {
                return "re-encoded control message does not decode"
            }
            if again != message { return "control round trip changed the message" }
        case .data(let message):
            if let peek, peek != .init(isControl: false, tunnelID: message.tunnelID, sessionID: message.sessionID) {
                return "peek \(peek) disagrees with decode"
            }
            var reencoded = ByteBuffer()
            do { try message.encode(into: &reencoded) } catch { return "data re-encode failed: \(error)" }
            guard let again = try? DataMessage.decode(reencoded) else {
                return "re-encoded data message does not decode"
            }
            if again.payload != message.payload || again.header.ns != message.header.ns
                || again.header.length != message.header.length || again.header.offsetSize != message.header.offsetSize
            {
                return "data round trip changed the message"
            }
        }
    }
    return nil
}

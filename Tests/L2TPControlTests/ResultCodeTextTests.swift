import L2TPControl
import L2TPWire
import NIOCore
import Testing

/// The Result Code message of a StopCCN or CDN that answers a malformed
/// message says what was wrong in words (RFC 2661 4.4.2), with the message
/// type once and no Swift type names: checked on the datagram's bytes.
@Suite struct ResultCodeTextTests {
    func endpoint() -> L2TPEndpoint {
        L2TPEndpoint(random: SeededRandomNumberGenerator(seed: 4242))
    }

    /// The bytes of an unhidden Result Code AVP (RFC 2661 4.4.2): M bit and
    /// length, vendor 0, attribute 1, result, error, message.
    func resultCodeAVP(result: UInt16, error: UInt16, message: String) -> [UInt8] {
        let text = Array(message.utf8)
        let length = 6 + 4 + text.count
        return [0x80 | UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, 1]
            + [UInt8(result >> 8), UInt8(result & 0xFF), UInt8(error >> 8), UInt8(error & 0xFF)] + text
    }

    /// The datagram sent among `actions` that carries a `type` message.
    func datagram(_ type: MessageType, in actions: [L2TPAction]) -> [UInt8]? {
        for case .send(let bytes, _, _) in actions {
            guard (try? ControlMessage.decode(bytes, secret: nil))?.messageType == type else { continue }
            return Array(bytes.readableBytesView)
        }
        return nil
    }

    func expectResultCode(
        _ type: MessageType, in actions: [L2TPAction], result: UInt16, error: ResultCode.GeneralError,
        message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let bytes = datagram(type, in: actions) else {
            Issue.record("no \(type) sent", sourceLocation: sourceLocation)
            return
        }
        let expected = resultCodeAVP(result: result, error: error.rawValue, message: message)
        #expect(
            bytes.firstRange(of: expected) != nil,
            "\(type) bytes \(bytes) lack the Result Code AVP \(expected): message \"\(message)\"",
            sourceLocation: sourceLocation)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("L2TPWireError") && !text.contains("[in "), sourceLocation: sourceLocation)
    }

    @Test func aDuplicateHostNameInAnSCCRQIsNamedOnce() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let twice = AVPEntry(.hostName(Array("again".utf8)), mandatory: true)
        let out = peer.send(.sccrq, ScriptedPeer.sccrqAVPs(tunnelID: 5), extra: [twice], tunnel: 0)
        expectResultCode(
            .stopCCN, in: out.actions, result: 2, error: .badValue, message: "duplicate Host Name AVP in SCCRQ")
        // The daemon logs the down reason: the peer's words and our detail.
        let reason = out.actions.lazy.compactMap { action -> TunnelDownReason? in
            if case .tunnelDown(_, let reason) = action { reason } else { nil }
        }.first
        guard case .malformedMessage(let result, let detail)? = reason else {
            Issue.record("tunnel down for \(String(describing: reason))")
            return
        }
        #expect(result.messageText == "duplicate Host Name AVP in SCCRQ")
        #expect(detail == "L2TPWireError.duplicateAVP: Host Name: AVP #6 repeats it [in SCCRQ]")
    }

    @Test func aMissingHostNameInAnSCCRQIsNamed() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let out = peer.send(
            .sccrq, [.protocolVersion(.rfc2661), .framingCapabilities([]), .assignedTunnelID(6)], tunnel: 0)
        expectResultCode(
            .stopCCN, in: out.actions, result: 2, error: .badValue, message: "missing Host Name AVP in SCCRQ")
    }

    @Test func anAVPLengthBelowTheHeaderIsTooShort() {
        var peer = ScriptedPeer(endpoint: endpoint())
        let tunnel = peer.establish()
        // HELLO whose second AVP (Host Name, attribute 7) says length 3.
        var bytes = ByteBuffer()
        bytes.writeInteger(UInt16(0xC802))
        bytes.writeInteger(UInt16(26))
        bytes.writeInteger(tunnel)
        bytes.writeInteger(UInt16(0))
        bytes.writeInteger(peer.ns)
        bytes.writeInteger(peer.nr)
        for word: UInt16 in [0x8008, 0, 0, MessageType.hello.rawValue, 0x8003, 0, 7] { bytes.writeInteger(word) }
        let out = peer.deliver(bytes)
        expectResultCode(
            .stopCCN, in: out.actions, result: 2, error: .badLength,
            message: "Host Name AVP length 3 too short (minimum 6) in HELLO")
    }

    @Test func aValueOfTheWrongSizeInAnICCNGetsACDNSayingSo() {
        var peer = ScriptedPeer(endpoint: endpoint())
        _ = peer.establish()
        _ = peer.send(.icrq, [.assignedSessionID(11), .callSerialNumber(1)])
        let session = peer.endpoint.sessions(tunnel: peer.remoteTunnelID)[0].sessionID
        // (Tx) Connect Speed (attribute 24) is 4 bytes; this one has 2.
        let short = AVPEntry(.unknown(type: 24, value: [0, 1]), mandatory: true)
        let out = peer.send(.iccn, sessionID: session, [.framingType(.synchronous)], extra: [short])
        expectResultCode(
            .cdn, in: out.actions, result: 2, error: .badValue,
            message: "bad (Tx) Connect Speed AVP value: value size 2, expected exactly 4 bytes in ICCN")
        #expect(
            out.actions.contains {
                if case .sessionDown(_, session, .malformedMessage(_, let detail)) = $0 {
                    detail.hasPrefix("L2TPWireError.invalidAVPValue: (Tx) Connect Speed at offset ")
                } else {
                    false
                }
            })
        #expect(peer.endpoint.tunnel(peer.remoteTunnelID)?.phase == .established)
    }

    @Test func anUnknownMandatoryVendorAVPIsNamedByVendorAndType() {
        var peer = ScriptedPeer(endpoint: endpoint())
        _ = peer.establish()
        let unknown = AVPEntry(.vendor(vendorID: 3561, type: 1, value: [0]), mandatory: true)
        let out = peer.send(.hello, [], extra: [unknown])
        expectResultCode(
            .stopCCN, in: out.actions, result: 2, error: .unknownMandatoryAVP,
            message: "unrecognised mandatory vendor 3561 AVP 1 in HELLO")
    }
}

import NIOCore
import Testing

@testable import L2TPWire

/// Vectors computed independently (Python hashlib) from the RFC 2661 4.3 text:
/// b1 = MD5(type + secret + RV), b(i) = MD5(secret + c(i-1)).
@Suite struct HiddenAVPTests {
    let secret = Array("secret".utf8)
    let vector: [UInt8] = Array(0..<16)

    @Test func singleShortBlockBothWays() {
        let hidden = HiddenAVP.hide([0x12, 0x34], attributeType: 9, secret: secret, randomVector: vector)
        #expect(hidden == hex("be6a0ff3"))
        #expect(
            HiddenAVP.unhide(hex("be6a0ff3"), attributeType: 9, secret: secret, randomVector: vector) == [0x12, 0x34])
    }

    @Test func paddingIsCoveredByTheOriginalLength() {
        let hidden = HiddenAVP.hide(
            [0x12, 0x34], attributeType: 9, secret: secret, randomVector: vector, padding: [0, 0, 0, 0])
        #expect(hidden == hex("be6a0ff3dfe444d9"))
        #expect(HiddenAVP.unhide(hidden, attributeType: 9, secret: secret, randomVector: vector) == [0x12, 0x34])
    }

    @Test func multiBlockChainsOnCiphertext() {
        let value = Array("openl2tp-swift wire codec test!!".utf8)
        let expected = hex("8fc6261804d0219e5e1a11c5cfb04f17ec1cf2d1041fc86835c80047524471e34945")
        #expect(HiddenAVP.hide(value, attributeType: 8, secret: secret, randomVector: vector) == expected)
        #expect(HiddenAVP.unhide(expected, attributeType: 8, secret: secret, randomVector: vector) == value)
    }

    @Test func wrongSecretOrBadLengthIsDetectedOrGarbled() {
        // Too short to hold the original-length prefix.
        #expect(HiddenAVP.unhide([0x01], attributeType: 9, secret: secret, randomVector: vector) == nil)
        // Prefix claims more bytes than present.
        let bogus = HiddenAVP.hide([], attributeType: 9, secret: secret, randomVector: vector)
        var tampered = bogus
        tampered[0] ^= 0x80
        #expect(HiddenAVP.unhide(tampered, attributeType: 9, secret: secret, randomVector: vector) == nil)
    }

    @Test func encodedMessageHidesAndInsertsRandomVector() throws {
        var message = ControlMessage(
            .sccrq, tunnelID: 0, sessionID: 0,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array("lac".utf8)), .framingCapabilities(.synchronous),
                .assignedTunnelID(0x1234),
            ], hidden: [.assignedTunnelID])
        let encoded = try message.encoded(secret: secret, randomVector: vector)
        let raw = bytes(encoded)
        // Random Vector AVP (M=1, length 22) inserted before the hidden AVP,
        // then Assigned Tunnel ID with M and H bits, length 6 + 4.
        let expectedTail = hex("8016 0000 0024") + vector + hex("c00a 0000 0009 be6a0ff3")
        #expect(Array(raw.suffix(expectedTail.count)) == expectedTail)

        let decoded = try ControlMessage.decode(encoded, secret: secret)
        #expect(decoded.assignedTunnelID == 0x1234)
        let entry = try #require(decoded.entry(.assignedTunnelID))
        #expect(entry.isHidden && entry.isMandatory)
        #expect(decoded.entry(.randomVector)?.value == .randomVector(vector))
        // Re-encoding the decoded message (which now contains the RV) is byte-identical.
        #expect(try decoded.encoded(secret: secret) == encoded)
        message.avps.insert(AVPEntry(.randomVector(vector)), at: 4)
        #expect(decoded == message)
    }

    @Test func hiddenDecodeErrors() throws {
        let message = ControlMessage(
            .icrp, tunnelID: 1, sessionID: 2, avps: [.assignedSessionID(7)], hidden: [.assignedSessionID])
        let encoded = try message.encoded(secret: secret, randomVector: vector)
        #expect(throws: L2TPWireError(.hiddenAVPWithoutSecret, field: "", offset: nil)) {
            try ControlMessage.decode(encoded, secret: nil)
        }
        // Without the Random Vector AVP in front (remove it by rebuilding the bytes).
        var raw = bytes(encoded)
        raw.removeSubrange(20..<(20 + 22))
        raw[3] = UInt8(raw.count)
        #expect(throws: L2TPWireError(.hiddenAVPWithoutRandomVector, field: "", offset: nil)) {
            try ControlMessage.decode(buffer(raw), secret: secret)
        }
        // Encoding requests that cannot be honoured.
        #expect(throws: L2TPWireError(.hiddenAVPWithoutSecret, field: "", offset: nil)) { try message.encoded() }
        #expect(throws: L2TPWireError(.hiddenAVPWithoutRandomVector, field: "", offset: nil)) {
            try message.encoded(secret: secret)
        }
        let forbidden = ControlMessage(.hello, tunnelID: 1, avps: [.receiveWindowSize(4)], hidden: [.receiveWindowSize])
        #expect(throws: L2TPWireError(.avpMayNotBeHidden, field: "", offset: nil)) {
            try forbidden.encoded(secret: secret, randomVector: vector)
        }
    }

    @Test func everyHideableAttributeRoundTripsHiddenWithPadding() throws {
        let hideable = sampleAVPs.filter { $0.type?.rule.mayBeHidden ?? true }
        let message = ControlMessage(
            tunnelID: 9, sessionID: 8, ns: 7, nr: 6,
            avps: [AVPEntry(.messageType(.iccn))] + hideable.map { AVPEntry($0, hidden: true) })
        for padding in [0, 3, 16] {
            let encoded = try message.encoded(secret: secret, randomVector: vector, hiddenPadding: padding)
            let decoded = try ControlMessage.decode(encoded, secret: secret)
            let values = decoded.avps.filter { $0.isHidden }.map(\.value)
            #expect(values == hideable, "padding \(padding)")
        }
    }

    @Test func theMostRecentRandomVectorApplies() throws {
        // RFC 2661 4.3: a new Random Vector AVP applies to the hidden AVPs after it.
        let message = ControlMessage(
            tunnelID: 1, sessionID: 2,
            avps: [
                AVPEntry(.messageType(.icrq)), AVPEntry(.randomVector([1, 1, 1])),
                AVPEntry(.assignedSessionID(0x0102), hidden: true), AVPEntry(.randomVector([2, 2, 2, 2])),
                AVPEntry(.callSerialNumber(0x0304_0506), hidden: true),
            ])
        let encoded = try message.encoded(secret: secret)
        let raw = bytes(encoded)
        // The second hidden AVP (last 6 + 6 octets) must be hidden with the second vector.
        let expected = HiddenAVP.hide([3, 4, 5, 6], attributeType: 15, secret: secret, randomVector: [2, 2, 2, 2])
        #expect(Array(raw.suffix(6)) == expected)
        #expect(try ControlMessage.decode(encoded, secret: secret) == message)
    }

    @Test func wrongSecretIsATypedError() throws {
        let message = ControlMessage(
            .icrq, tunnelID: 1, sessionID: 2, avps: [.assignedSessionID(5), .callSerialNumber(6)],
            hidden: [.assignedSessionID, .callSerialNumber])
        let encoded = try message.encoded(secret: secret, randomVector: vector)
        var failures = 0
        for guess in 0..<64 {
            do {
                let decoded = try ControlMessage.decode(encoded, secret: Array("guess-\(guess)".utf8))
                #expect(decoded != message)
            } catch {
                #expect([.invalidHiddenAVP, .invalidAVPValue].contains(error.code), "\(error)")
                failures += 1
            }
        }
        // With a 2-octet prefix and 2- or 4-octet values, almost every wrong secret fails the length check.
        #expect(failures > 56)
    }
}

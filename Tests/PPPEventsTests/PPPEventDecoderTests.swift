import PPPEvents
import Testing

/// Datagrams laid out by hand exactly as pppd's openl2tp.so builds them
/// (host byte order, every TLV padded to 4, strings with their NUL).
@Suite struct PPPEventDecoderTests {
    static func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
    static func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    static func message(type: UInt16, _ tlvs: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        le32(0x6b6c_7831) + le16(type) + le16(UInt16(declaredLength ?? tlvs.count)) + tlvs
    }

    static func tlv(_ type: UInt16, _ value: [UInt8], pad: Bool = true) -> [UInt8] {
        let padding = pad ? (4 - value.count % 4) % 4 : 0
        return le16(type) + le16(UInt16(value.count)) + value + [UInt8](repeating: 0, count: padding)
    }

    static let upDownTLVs =
        tlv(0, le16(4711)) + tlv(1, le16(42)) + tlv(6, [1]) + tlv(3, le32(7)) + tlv(4, Array("ppp7".utf8) + [0])
        + tlv(5, Array("alice@example".utf8) + [0])

    @Test func decodesAnUpIndicationAsPPPDSendsIt() throws {
        let event = try PPPEventDecoder.decode(Self.message(type: 1, Self.upDownTLVs))
        #expect(
            event
                == .upDown(
                    PPPLinkState(
                        tunnelID: 4711, sessionID: 42, isUp: true, unit: 7, interfaceName: "ppp7",
                        userName: "alice@example")))
        #expect(event.tunnelID == 4711 && event.sessionID == 42)
    }

    @Test func decodesADownIndicationWithoutUserName() throws {
        let tlvs =
            Self.tlv(0, Self.le16(1)) + Self.tlv(1, Self.le16(2)) + Self.tlv(6, [0]) + Self.tlv(3, Self.le32(0))
            + Self.tlv(4, Array("ppp0".utf8) + [0])
        let event = try PPPEventDecoder.decode(Self.message(type: 1, tlvs))
        #expect(event == .upDown(PPPLinkState(tunnelID: 1, sessionID: 2, isUp: false, unit: 0, interfaceName: "ppp0")))
    }

    @Test func decodesAnACCMIndication() throws {
        let tlvs =
            Self.tlv(0, Self.le16(9)) + Self.tlv(1, Self.le16(10))
            + Self.tlv(2, Self.le32(0xffff_ffff) + Self.le32(0x000a_0000))
        let event = try PPPEventDecoder.decode(Self.message(type: 2, tlvs))
        #expect(
            event == .accm(PPPACCMIndication(tunnelID: 9, sessionID: 10, sendACCM: 0xffff_ffff, receiveACCM: 0xa0000)))
    }

    @Test func nullMessageAndUnknownTLVsAreAccepted() throws {
        #expect(try PPPEventDecoder.decode(Self.message(type: 0, [])) == .null)
        let withUnknown = Self.tlv(99, [1, 2, 3, 4, 5]) + Self.upDownTLVs
        #expect(try PPPEventDecoder.decode(Self.message(type: 1, withUnknown)).sessionID == 42)
    }

    @Test func stringsEndAtTheirFirstNULOrTheValue() throws {
        let tlvs =
            Self.tlv(0, Self.le16(1)) + Self.tlv(1, Self.le16(2)) + Self.tlv(6, [1]) + Self.tlv(3, Self.le32(3))
            + Self.tlv(4, Array("ppp3".utf8)) + Self.tlv(5, [0])
        let event = try PPPEventDecoder.decode(Self.message(type: 1, tlvs))
        guard case .upDown(let state) = event else {
            Issue.record("not an up/down event: \(event)")
            return
        }
        #expect(state.interfaceName == "ppp3")
        #expect(state.userName == nil, "an empty user name means none")
    }

    @Test func encoderMatchesTheHandBuiltLayout() throws {
        let state = PPPLinkState(
            tunnelID: 4711, sessionID: 42, isUp: true, unit: 7, interfaceName: "ppp7", userName: "alice@example")
        #expect(try PPPEventEncoder.encode(.upDown(state)) == Self.message(type: 1, Self.upDownTLVs))
        for event: PPPEvent in [
            .null, .upDown(state), .accm(PPPACCMIndication(tunnelID: 1, sessionID: 2, sendACCM: 3, receiveACCM: 4)),
        ] {
            #expect(try PPPEventDecoder.decode(PPPEventEncoder.encode(event)) == event)
        }
    }

    // MARK: - Errors

    @Test func framingErrorsAreTyped() {
        let good = Self.message(type: 1, Self.upDownTLVs)
        #expect(throws: PPPEventError.truncatedHeader(length: 7)) { try PPPEventDecoder.decode(Array(good[0..<7])) }
        #expect(throws: PPPEventError.oversize(length: 513)) {
            try PPPEventDecoder.decode(Self.message(type: 0, [UInt8](repeating: 0, count: 505)))
        }
        var badSignature = good
        badSignature[0] ^= 0xff
        #expect(throws: PPPEventError.badSignature(0x6b6c_78ce)) { try PPPEventDecoder.decode(badSignature) }
        #expect(throws: PPPEventError.lengthMismatch(declared: good.count - 4, actual: good.count - 8)) {
            try PPPEventDecoder.decode(Self.message(type: 1, Self.upDownTLVs, declaredLength: good.count - 4))
        }
        #expect(throws: PPPEventError.unknownMessageType(3)) { try PPPEventDecoder.decode(Self.message(type: 3, [])) }
    }

    @Test func tlvErrorsNameTheOffset() {
        // A TLV header cut short, then a value longer than the message.
        #expect(throws: PPPEventError.truncatedTLV(offset: 8)) {
            try PPPEventDecoder.decode(Self.message(type: 1, [0, 0]))
        }
        #expect(throws: PPPEventError.truncatedTLV(offset: 8)) {
            try PPPEventDecoder.decode(Self.message(type: 1, Self.le16(4) + Self.le16(9) + [1, 2, 3, 4]))
        }
        // The value fits but its padding is missing.
        #expect(throws: PPPEventError.misalignedTLV(offset: 16)) {
            try PPPEventDecoder.decode(
                Self.message(type: 1, Self.tlv(0, Self.le16(1)) + Self.tlv(1, Self.le16(2), pad: false)))
        }
        #expect(throws: PPPEventError.badTLVLength(type: 0, length: 4, offset: 8)) {
            try PPPEventDecoder.decode(Self.message(type: 1, Self.tlv(0, Self.le32(1))))
        }
        #expect(throws: PPPEventError.missingTLV(.interfaceName, messageType: 1)) {
            let tlvs =
                Self.tlv(0, Self.le16(1)) + Self.tlv(1, Self.le16(2)) + Self.tlv(6, [1]) + Self.tlv(3, Self.le32(3))
            _ = try PPPEventDecoder.decode(Self.message(type: 1, tlvs))
        }
        #expect(throws: PPPEventError.missingTLV(.accm, messageType: 2)) {
            try PPPEventDecoder.decode(Self.message(type: 2, Self.tlv(0, Self.le16(1)) + Self.tlv(1, Self.le16(2))))
        }
    }

    @Test func errorMessagesNameFieldAndOffset() {
        #expect("\(PPPEventError.misalignedTLV(offset: 16))".contains("offset 16"))
        #expect("\(PPPEventError.badSignature(1))".contains("0x1"))
        #expect("\(PPPEventError.missingTLV(.accm, messageType: 2))".contains("accm"))
    }

    @Test func encoderRefusesAMessageOver512Bytes() {
        let name = String(repeating: "x", count: 600)
        #expect(throws: PPPEventError.self) {
            try PPPEventEncoder.encode(
                .upDown(PPPLinkState(tunnelID: 1, sessionID: 1, isUp: true, unit: 0, interfaceName: name)))
        }
    }
}

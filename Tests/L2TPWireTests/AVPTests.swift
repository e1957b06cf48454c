import NIOCore
import Testing

@testable import L2TPWire

@Suite struct AVPTests {
    @Test func sampleCoversEveryAttribute() {
        let covered = Set(sampleAVPs.compactMap(\.type))
        #expect(covered == Set(AVPType.allCases))
        #expect(AVPType.allCases.count == 39)  // 0...39 without the unassigned 20
        #expect(AVPType(rawValue: 20) == nil)
    }

    @Test(arguments: sampleAVPs)
    func everyAVPRoundTrips(avp: AVP) throws {
        let message = ControlMessage(
            tunnelID: 1, sessionID: 2, avps: [AVPEntry(.messageType(.hello)), AVPEntry(avp, mandatory: false)])
        let encoded = try message.encoded()
        let decoded = try ControlMessage.decode(encoded)
        #expect(decoded.avps.last?.value == avp)
        #expect(decoded.avps.last?.isMandatory == false)
        #expect(decoded == message)
    }

    @Test func defaultMandatoryBitsFollowRFC() {
        #expect(AVPEntry(.tieBreaker(1)).isMandatory == false)
        #expect(AVPEntry(.firmwareRevision(1)).isMandatory == false)
        #expect(AVPEntry(.hostName([1])).isMandatory == true)
        #expect(AVPEntry(.rxConnectSpeed(1)).isMandatory == false)
        #expect(AVPEntry(.sequencingRequired).isMandatory == true)
        #expect(AVPEntry(.vendor(vendorID: 9, type: 1, value: [])).isMandatory == false)
    }

    /// Byte layouts written out from the RFC 2661 4.4 figures.
    @Test func wireLayoutsFromRFC() throws {
        func avpBytes(_ avp: AVP) throws -> [UInt8] {
            let encoded = try ControlMessage(tunnelID: 0, sessionID: 0, avps: [AVPEntry(avp)]).encoded()
            return Array(bytes(encoded).dropFirst(12))
        }
        #expect(try avpBytes(.messageType(.sccrq)) == hex("8008 0000 0000 0001"))
        #expect(try avpBytes(.protocolVersion(.rfc2661)) == hex("8008 0000 0002 0100"))
        #expect(try avpBytes(.framingCapabilities([.synchronous, .asynchronous])) == hex("800a 0000 0003 00000003"))
        #expect(try avpBytes(.bearerCapabilities(.analog)) == hex("800a 0000 0004 00000002"))
        #expect(try avpBytes(.tieBreaker(0x0102_0304_0506_0708)) == hex("000e 0000 0005 0102030405060708"))
        #expect(try avpBytes(.hostName(Array("lac".utf8))) == hex("8009 0000 0007 6c6163"))
        #expect(try avpBytes(.resultCode(ResultCode(result: 1))) == hex("8008 0000 0001 0001"))
        #expect(try avpBytes(.resultCode(ResultCode(result: 2, error: 6))) == hex("800a 0000 0001 0002 0006"))
        #expect(
            try avpBytes(.q931CauseCode(Q931Cause(causeCode: 16, causeMessage: 0x45))) == hex("8009 0000 000c 0010 45"))
        #expect(try avpBytes(.proxyAuthenID(7)) == hex("0008 0000 0020 0007"))
        #expect(
            try avpBytes(.callErrors(CallErrors(crcErrors: 1, alignmentErrors: 6)))
                == hex("8020 0000 0022 0000 00000001 00000000 00000000 00000000 00000000 00000006"))
        #expect(
            try avpBytes(.accm(ACCM(sendACCM: 0xFFFF_FFFF, receiveACCM: 1)))
                == hex("8010 0000 0023 0000 ffffffff 00000001"))
        #expect(try avpBytes(.sequencingRequired) == hex("8006 0000 0027"))
        #expect(try avpBytes(.vendor(vendorID: 311, type: 5, value: [1])) == hex("0007 0137 0005 01"))
    }

    @Test func wrongValueSizesAreTypedErrors() throws {
        // (attribute, bad value) pairs: fixed-size fields with one byte too few or many.
        let cases: [(UInt16, [UInt8])] = [
            (2, [1]), (3, [0, 0, 1]), (5, Array(repeating: 0, count: 7)), (9, [0, 1, 2]), (10, []),
            (13, Array(repeating: 0, count: 15)), (14, [1]), (15, [1, 2, 3, 4, 5]),
            (34, Array(repeating: 0, count: 25)),
            (35, Array(repeating: 0, count: 11)), (39, [0]), (1, [0, 1, 0]), (12, [0, 1]), (7, []), (32, [1, 2]),
        ]
        for (type, value) in cases {
            var raw = hex("c802 0000 0001 0002 0000 0000 8008 0000 0000 0006")
            raw += [0x80, UInt8(6 + value.count), 0, 0, 0, UInt8(type)] + value
            raw[3] = UInt8(raw.count)
            let error = try #require(throws: L2TPWireError.self, "type \(type)") {
                try ControlMessage.decode(buffer(raw))
            }
            #expect(error.code == .invalidAVPValue, "type \(type): \(error)")
            #expect(error.offset == 20 && error.attribute == AVPAttribute(vendorID: 0, type: type))
            #expect(error.messageType == .hello && error.header?.tunnelID == 1)
        }
    }

    @Test func avpLengthErrors() throws {
        let base = hex("c802 0000 0001 0002 0000 0000 8008 0000 0000 0006")
        for tail in [hex("8005 0000 0007"), hex("8020 0000 0007 61"), hex("80 08 00"), hex("0000 0000 0000")] {
            var raw = base + tail
            raw[3] = UInt8(raw.count)
            let error = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(buffer(raw)) }
            #expect(error.code == .invalidAVPLength && error.offset == 20, "\(error)")
        }
    }
}

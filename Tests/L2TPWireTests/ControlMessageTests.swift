import NIOCore
import Testing

@testable import L2TPWire

@Suite struct ControlMessageTests {
    /// An SCCRQ laid out by hand from RFC 2661 3.1, 4.1 and 4.4.
    static let sccrqBytes = hex(
        """
        c802 004d 0000 0000 0000 0000
        8008 0000 0000 0001
        8008 0000 0002 0100
        8009 0000 0007 6c6163
        800a 0000 0003 00000003
        8008 0000 0009 0001
        8008 0000 000a 0004
        000e 0000 0005 0011223344556677
        """)

    @Test func decodesHandWrittenSCCRQ() throws {
        guard case .control(let message) = try L2TPPacket.decode(buffer(Self.sccrqBytes), secret: nil) else {
            Issue.record("not a control message")
            return
        }
        #expect(message.messageType == .sccrq && message.tunnelID == 0 && message.ns == 0)
        #expect(message.protocolVersion == .rfc2661 && message.hostName == "lac")
        #expect(message.framingCapabilities == [.synchronous, .asynchronous])
        #expect(message.assignedTunnelID == 1 && message.receiveWindowSize == 4)
        #expect(message.tieBreaker == 0x0011_2233_4455_6677)
        #expect(message.entry(.tieBreaker)?.isMandatory == false)
        try MessageSpec.validate(message)
    }

    @Test func encodesSCCRQToTheSameBytes() throws {
        let message = ControlMessage(
            .sccrq, tunnelID: 0,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array("lac".utf8)),
                .framingCapabilities([.synchronous, .asynchronous]),
                .assignedTunnelID(1), .receiveWindowSize(4), .tieBreaker(0x0011_2233_4455_6677),
            ])
        #expect(bytes(try message.encoded()) == Self.sccrqBytes)
    }

    @Test(arguments: MessageType.allCases)
    func everyMessageTypeRoundTrips(type: MessageType) throws {
        let message = minimalMessage(type)
        try MessageSpec.validate(message)
        let encoded = try message.encoded()
        guard case .control(let decoded) = try L2TPPacket.decode(encoded) else {
            Issue.record("decoded as data")
            return
        }
        #expect(decoded == message)
        #expect(decoded.messageType == type)
        #expect(bytes(try decoded.encoded()) == bytes(encoded))
    }

    @Test func zlbHasNoMessageType() throws {
        let zlb = ControlMessage.zlb(tunnelID: 3, ns: 4, nr: 5)
        let encoded = try zlb.encoded()
        #expect(bytes(encoded) == hex("c802 000c 0003 0000 0004 0005"))
        let decoded = try ControlMessage.decode(encoded)
        #expect(decoded.isZLB && decoded.messageType == nil && decoded.nr == 5)
        try MessageSpec.validate(decoded)
    }

    @Test func unknownMandatoryAVPCarriesContextForTeardown() throws {
        var message = minimalMessage(.icrq)
        message.avps.append(AVPEntry(.unknown(type: 99, value: [1]), mandatory: true))
        let encoded = try message.encoded()
        let error = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(encoded) }
        #expect(error.code == .unknownMandatoryAVP)
        #expect(error.messageType == .icrq && error.header?.tunnelID == 1 && error.header?.sessionID == 2)
        #expect(error.header?.ns == 3 && error.attribute == AVPAttribute(vendorID: 0, type: 99))
        // Mandatory vendor AVPs we do not know are treated the same way.
        var vendor = minimalMessage(.hello)
        vendor.avps.append(AVPEntry(.vendor(vendorID: 9, type: 0, value: []), mandatory: true))
        let vendorError = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(vendor.encoded()) }
        #expect(vendorError.code == .unknownMandatoryAVP && vendorError.attribute?.vendorID == 9)
    }

    @Test func optionalUnknownAndVendorAVPsAreKeptNotMistaken() throws {
        var message = minimalMessage(.hello)
        // Vendor 9, attribute 7 must not be read as an IETF Host Name.
        message.avps.append(AVPEntry(.vendor(vendorID: 9, type: 7, value: [0xFF])))
        message.avps.append(AVPEntry(.unknown(type: 200, value: [])))
        let decoded = try ControlMessage.decode(message.encoded())
        #expect(decoded.hostName == nil)
        #expect(decoded.vendorAVPs.map(\.value) == [.vendor(vendorID: 9, type: 7, value: [0xFF])])
        #expect(decoded.avps.last?.value == .unknown(type: 200, value: []))
        try MessageSpec.validate(decoded)
    }

    @Test func reservedAVPBitsMeanUnrecognised() throws {
        // Host Name with a reserved bit and no M bit: skipped; with M bit: fatal.
        var raw = hex("c802 0000 0001 0000 0000 0000 8008 0000 0000 0006 0409 0000 0007 6c6163")
        raw[3] = UInt8(raw.count)
        let decoded = try ControlMessage.decode(buffer(raw))
        #expect(decoded.hostName == nil && decoded.avps.count == 1)
        raw[20] = 0x84
        #expect(throws: L2TPWireError(.unknownMandatoryAVP, field: "", offset: nil)) {
            try ControlMessage.decode(buffer(raw))
        }
    }

    @Test func messageTypeWithReservedBitsIsRejected() throws {
        var raw = hex("c802 0000 0001 0000 0000 0000 8408 0000 0000 0006")
        raw[3] = UInt8(raw.count)
        let error = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(buffer(raw)) }
        #expect(error.code == .reservedAVPBitsSet && error.offset == 12 && error.header?.tunnelID == 1)
    }

    @Test func messageTypeMustComeFirstAndBeKnown() throws {
        var raw = hex("c802 0000 0001 0000 0000 0000 8008 0000 0009 0001 8008 0000 0000 0006")
        raw[3] = UInt8(raw.count)
        let error = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(buffer(raw)) }
        #expect(error.code == .messageTypeNotFirst && error.offset == 12)

        var unknown = hex("c802 0000 0001 0000 0000 0000 8008 0000 0000 0005")
        unknown[3] = UInt8(unknown.count)
        let mandatory = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(buffer(unknown)) }
        #expect(mandatory.code == .unknownMessageType && mandatory.isMandatory)
        unknown[12] = 0x00
        let optional = try #require(throws: L2TPWireError.self) { try ControlMessage.decode(buffer(unknown)) }
        #expect(optional.code == .unknownMessageType && !optional.isMandatory && optional.header?.tunnelID == 1)
    }

    @Test func dataMessageIsNotAControlMessage() {
        #expect(throws: L2TPWireError(.invalidControlHeader, field: "", offset: nil)) {
            try ControlMessage.decode(buffer(hex("0002 0001 0002")))
        }
    }

    @Test func oversizedValuesAreRejectedOnEncode() {
        let message = ControlMessage(.hello, tunnelID: 1, avps: [.vendorName(Array(repeating: 0x61, count: 1018))])
        #expect(throws: L2TPWireError(.valueTooLong, field: "", offset: nil)) { try message.encoded() }
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        #expect(throws: L2TPWireError.self) { try message.encode(into: &buffer) }
        #expect(buffer.readableBytes == 3, "a failed encode leaves nothing behind")
    }

    @Test func accessorsReturnTypedValues() throws {
        let message = ControlMessage(tunnelID: 1, sessionID: 2, avps: sampleAVPs.map { AVPEntry($0) })
        let decoded = try ControlMessage.decode(message.encoded())
        #expect(decoded.resultCode?.error == 6 && decoded.vendorName == "openl2tp-swift")
        #expect(decoded.challenge == [1, 2, 3, 4, 5, 6, 7, 8] && decoded.challengeResponse == Array(0..<16))
        #expect(decoded.assignedSessionID == 0x1234 && decoded.callSerialNumber == 0xDEAD_BEEF)
        #expect(decoded.minimumBPS == 9600 && decoded.maximumBPS == 100_000_000)
        #expect(decoded.bearerType == .analog && decoded.framingType == .synchronous)
        #expect(decoded.calledNumber == "5551000" && decoded.callingNumber == "5552000" && decoded.subAddress == "42")
        #expect(
            decoded.txConnectSpeed == 10_000_000 && decoded.rxConnectSpeed == 64000 && decoded.physicalChannelID == 7)
        #expect(decoded.proxyAuthenType == .chap && decoded.proxyAuthenID == 0x2A)
        #expect(decoded.proxyAuthenName == Array("alice".utf8) && decoded.proxyAuthenResponse?.count == 16)
        #expect(decoded.callErrors?.timeoutErrors == 5 && decoded.accm?.receiveACCM == 0x000A_0000)
        #expect(decoded.sequencingRequired && decoded.privateGroupID == Array("group-1".utf8))
        #expect(decoded.q931CauseCode?.causeCode == 16 && decoded.firmwareRevision == 0x0103)
        #expect(decoded.initialReceivedLCPConfReq?.count == 4 && decoded.lastSentLCPConfReq?.count == 4)
        #expect(decoded.lastReceivedLCPConfReq?.count == 6 && decoded.proxyAuthenChallenge?.count == 16)
        #expect(decoded.bearerCapabilities == [.analog, .digital])
    }
}

@Suite struct ControlMessageHelperTests {
    @Test func descriptionNamesTypeIdsAndAttributesOnly() {
        let message = ControlMessage(
            .sccrp, tunnelID: 7, ns: 1, nr: 2, avps: [.hostName(Array("h".utf8)), .challenge([0xAB])],
            hidden: [.challenge])
        #expect(message.description == "SCCRP tunnel 7 session 0 ns 1 nr 2 [Host Name, Challenge (hidden)]")
        #expect(ControlMessage.zlb(tunnelID: 1, ns: 3, nr: 4).description == "ZLB tunnel 1 session 0 ns 3 nr 4")
    }

    @Test func sequenceNumbersCanBeRewrittenInPlace() throws {
        var encoded = try minimalMessage(.hello).encoded()
        #expect(ControlMessage.rewriteSequenceNumbers(in: &encoded, ns: 0x1111, nr: 0x2222))
        let decoded = try ControlMessage.decode(encoded)
        #expect(decoded.ns == 0x1111 && decoded.nr == 0x2222 && decoded.messageType == .hello)
        var data = buffer(hex("4802 000d 0005 0006 0001 0002 aa"))
        #expect(!ControlMessage.rewriteSequenceNumbers(in: &data, ns: 9, nr: 9))
        #expect(bytes(data) == hex("4802 000d 0005 0006 0001 0002 aa"))
    }
}

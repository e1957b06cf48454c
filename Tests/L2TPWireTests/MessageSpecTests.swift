import Testing

@testable import L2TPWire

@Suite struct MessageSpecTests {
    @Test func tableMatchesRFC2661Section6() {
        #expect(
            MessageSpec.spec(for: .sccrq).required == [
                .protocolVersion, .hostName, .framingCapabilities, .assignedTunnelID,
            ])
        #expect(MessageSpec.spec(for: .stopCCN).required == [.assignedTunnelID, .resultCode])
        #expect(MessageSpec.spec(for: .iccn).required == [.txConnectSpeed, .framingType])
        #expect(MessageSpec.spec(for: .ocrq).required.count == 7)
        #expect(MessageSpec.spec(for: .cdn).optional == [.q931CauseCode])
        #expect(MessageSpec.spec(for: .hello).required.isEmpty && MessageSpec.spec(for: .hello).optional.isEmpty)
        for type in MessageType.allCases { #expect(MessageSpec.spec(for: type).allows(.randomVector)) }
    }

    @Test(arguments: MessageType.allCases)
    func everyRequiredAVPIsChecked(type: MessageType) throws {
        let message = minimalMessage(type)
        try MessageSpec.validate(message)
        for required in MessageSpec.spec(for: type).required {
            var missing = message
            missing.avps.removeAll { $0.value.type == required }
            let error = try #require(throws: L2TPWireError.self) { try MessageSpec.validate(missing) }
            #expect(error.code == .missingMandatoryAVP && error.field == required.name && error.messageType == type)
        }
    }

    /// A peer reads the text in words with the message type once; our logs
    /// keep the code and the AVP's position.
    @Test func specErrorsSayWhatIsWrongInWordsForThePeer() throws {
        var hello = minimalMessage(.hello)
        hello.append(.hostName(Array("x".utf8)))
        let unexpected = try #require(throws: L2TPWireError.self) { try MessageSpec.validate(hello) }
        #expect(unexpected.peerText == "Host Name AVP not allowed in HELLO")
        var twice = minimalMessage(.icrp)
        twice.append(.assignedSessionID(10))
        let duplicate = try #require(throws: L2TPWireError.self) { try MessageSpec.validate(twice) }
        #expect(duplicate.peerText == "duplicate Assigned Session ID AVP in ICRP")
        #expect(duplicate.description == "L2TPWireError.duplicateAVP: Assigned Session ID: AVP #2 repeats it [in ICRP]")
        var missing = minimalMessage(.sccrq)
        missing.avps.removeAll { $0.value.type == .hostName }
        let absent = try #require(throws: L2TPWireError.self) { try MessageSpec.validate(missing) }
        #expect(absent.peerText == "missing Host Name AVP in SCCRQ")
    }

    @Test func unexpectedAndDuplicateAVPs() throws {
        var hello = minimalMessage(.hello)
        hello.append(.hostName(Array("x".utf8)))
        let error = try #require(throws: L2TPWireError.self) { try MessageSpec.validate(hello) }
        #expect(error.code == .unexpectedAVP && error.field == "Host Name" && error.messageType == .hello)
        try MessageSpec.validate(hello, unexpected: .ignore)

        var twice = minimalMessage(.icrp)
        twice.append(.assignedSessionID(10))
        #expect(throws: L2TPWireError(.duplicateAVP, field: "", offset: nil)) { try MessageSpec.validate(twice) }

        var vectors = minimalMessage(.icrp)
        vectors.avps.insert(AVPEntry(.randomVector([1])), at: 1)
        vectors.append(.randomVector([2]))
        try MessageSpec.validate(vectors)
    }
}

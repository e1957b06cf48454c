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

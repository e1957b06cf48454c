import NIOCore
import Testing

@testable import L2TPWire

@Suite struct ResultCodeTests {
    func decodeResult(_ value: [UInt8]) throws -> ResultCode {
        var raw = hex("c802 0000 0001 0000 0000 0000 8008 0000 0000 0004 8008 0000 0009 0001")
        raw += [0x80, UInt8(6 + value.count), 0, 0, 0, 1] + value
        raw[3] = UInt8(raw.count)
        let message = try ControlMessage.decode(buffer(raw))
        try MessageSpec.validate(message)
        return try #require(message.resultCode)
    }

    @Test func eightTenAndLongerForms() throws {
        #expect(try decodeResult(hex("0001")) == ResultCode(result: 1))
        #expect(try decodeResult(hex("0002 0006")) == ResultCode(result: 2, error: 6))
        let long = try decodeResult(hex("0002 0008") + Array("AVP 99".utf8))
        #expect(long.error == 8 && long.messageText == "AVP 99" && !long.isByteSwapped)
    }

    @Test func appleByteSwappedCodesAreRecognised() throws {
        let swapped = try decodeResult(hex("0100 0000"))
        #expect(swapped.result == 1 && swapped.error == 0 && swapped.isByteSwapped)
        let swappedWithError = try decodeResult(hex("0200 0600"))
        #expect(swappedWithError.result == 2 && swappedWithError.error == 6)
        let errorOnly = try decodeResult(hex("0002 0600"))
        #expect(errorOnly.result == 2 && errorOnly.error == 6 && errorOnly.isByteSwapped)
        let resultOnly = try decodeResult(hex("0600"))
        #expect(resultOnly.result == 6 && resultOnly.isByteSwapped)
        // Re-encoding reproduces the peer's bytes.
        let message = ControlMessage(
            .stopCCN, tunnelID: 1, avps: [.assignedTunnelID(1), .resultCode(swappedWithError)])
        #expect(bytes(try message.encoded()).suffix(4) == hex("0200 0600"))
        // Big-endian values are left alone, including ones above 255 with a non-zero low byte.
        #expect(try decodeResult(hex("0101")).result == 0x0101)
        #expect(try decodeResult(hex("0002 0101")).error == 0x0101)
        #expect(try decodeResult(hex("0000")).result == 0)
    }

    @Test func namedCodesMatchRFCNumbers() {
        #expect(ResultCode(.generalRequest) == ResultCode(result: 1))
        #expect(ResultCode(.stateMachineError, error: .unknownMandatoryAVP) == ResultCode(result: 7, error: 8))
        #expect(ResultCode(.noFraming).result == 11)
        #expect(
            ResultCode(.administrative, message: "bye") == ResultCode(result: 3, error: 0, message: Array("bye".utf8)))
        #expect(ResultCode.GeneralError.tryAnother.rawValue == 7)
        #expect(ResultCode.StopCCNResult.allCases.count == 7 && ResultCode.CDNResult.allCases.count == 11)
    }
}

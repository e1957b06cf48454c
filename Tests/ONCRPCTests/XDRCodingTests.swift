import Testing

@testable import ONCRPC

/// RFC 4506 7: the "file" example, used as a byte-exact vector.
private struct ExampleFile: XDRCodable, Equatable {
    enum Kind: Equatable {
        case text
        case data(creator: String)
        case exec(interpretor: String)
    }
    var filename: String
    var kind: Kind
    var owner: String
    var data: [UInt8]

    func encode(to encoder: inout XDREncoder) {
        encoder.encode(filename)
        switch kind {
        case .text: encoder.encode(UInt32(0))
        case .data(let creator):
            encoder.encode(UInt32(1))
            encoder.encode(creator)
        case .exec(let interpretor):
            encoder.encode(UInt32(2))
            encoder.encode(interpretor)
        }
        encoder.encode(owner)
        encoder.encodeVariableOpaque(data)
    }

    init(filename: String, kind: Kind, owner: String, data: [UInt8]) {
        self.filename = filename
        self.kind = kind
        self.owner = owner
        self.data = data
    }

    init(from decoder: inout XDRDecoder) throws {
        filename = try decoder.decodeString(maxLength: 255, field: "filename")
        let at = decoder.offset
        switch try decoder.decodeUInt32(field: "filekind") {
        case 0: kind = .text
        case 1: kind = .data(creator: try decoder.decodeString(maxLength: 255, field: "creator"))
        case 2: kind = .exec(interpretor: try decoder.decodeString(maxLength: 255, field: "interpretor"))
        case let other: throw ONCRPCError.invalidDiscriminant(field: "filekind", offset: at, value: Int64(other))
        }
        owner = try decoder.decodeString(maxLength: 255, field: "owner")
        data = try decoder.decodeVariableOpaque(maxLength: 65535, field: "data")
    }
}

@Suite struct XDRCodingTests {
    @Test func integersAreBigEndianFourOrEightBytes() throws {
        #expect(Int32(-1).xdrBytes == [0xff, 0xff, 0xff, 0xff])
        #expect(UInt32(0x0102_0304).xdrBytes == [1, 2, 3, 4])
        #expect(Int64(-2).xdrBytes == [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])
        #expect(UInt64(0x0102_0304_0506_0708).xdrBytes == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(true.xdrBytes == [0, 0, 0, 1])
        #expect(try Int64(xdrBytes: [0x80, 0, 0, 0, 0, 0, 0, 0]) == Int64.min)
        #expect(try Int32(xdrBytes: [0x80, 0, 0, 0]) == Int32.min)
        #expect(try UInt64(xdrBytes: UInt64.max.xdrBytes) == UInt64.max)
    }

    @Test func rfc4506FileExampleMatchesByteForByte() throws {
        let file = ExampleFile(
            filename: "sillyprog", kind: .exec(interpretor: "lisp"), owner: "john", data: Array("(quit)".utf8))
        let expected: [UInt8] = [
            0x00, 0x00, 0x00, 0x09, 0x73, 0x69, 0x6c, 0x6c, 0x79, 0x70, 0x72, 0x6f, 0x67, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x6c, 0x69, 0x73, 0x70, 0x00, 0x00, 0x00, 0x04,
            0x6a, 0x6f, 0x68, 0x6e, 0x00, 0x00, 0x00, 0x06, 0x28, 0x71, 0x75, 0x69, 0x74, 0x29, 0x00, 0x00,
        ]
        #expect(file.xdrBytes == expected)
        #expect(try ExampleFile(xdrBytes: expected) == file)
    }

    @Test(arguments: [
        ("", [0, 0, 0, 0] as [UInt8]),
        ("a", [0, 0, 0, 1, 0x61, 0, 0, 0]),
        ("abcd", [0, 0, 0, 4, 0x61, 0x62, 0x63, 0x64]),
        ("abcde", [0, 0, 0, 5, 0x61, 0x62, 0x63, 0x64, 0x65, 0, 0, 0]),
    ])
    func stringsArePaddedToFourBytes(string: String, bytes: [UInt8]) throws {
        #expect(string.xdrBytes == bytes)
        #expect(try String(xdrBytes: bytes) == string)
    }

    @Test func fixedOpaqueIsPaddedWithoutLength() throws {
        var encoder = XDREncoder()
        encoder.encodeFixedOpaque([1, 2, 3])
        #expect(encoder.bytes == [1, 2, 3, 0])
        var decoder = XDRDecoder(encoder.bytes)
        #expect(try decoder.decodeFixedOpaque(count: 3) == [1, 2, 3])
        #expect(decoder.isAtEnd)
    }

    @Test func variableArraysCarryACount() throws {
        var encoder = XDREncoder()
        encoder.encode(array: [UInt32(7), 8, 9])
        #expect(encoder.bytes == [0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 9])
        var decoder = XDRDecoder(encoder.bytes)
        #expect(try decoder.decodeArray(of: UInt32.self) == [7, 8, 9])
    }

    @Test func optionalDataIsABooleanThenTheValue() throws {
        var encoder = XDREncoder()
        encoder.encode(optional: Int32(5))
        encoder.encode(optional: Int32?.none)
        #expect(encoder.bytes == [0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0])
        var decoder = XDRDecoder(encoder.bytes)
        #expect(try decoder.decodeOptional(of: Int32.self) == 5)
        #expect(try decoder.decodeOptional(of: Int32.self) == nil)
        #expect(decoder.isAtEnd)
    }

    // MARK: - Hostile input

    @Test func truncatedInputNamesFieldAndOffset() {
        var decoder = XDRDecoder([0, 0, 0, 1, 0, 0])
        _ = try? decoder.decodeUInt32()
        #expect {
            try decoder.decodeUInt32(field: "call_body.prog")
        } throws: { error in
            let error = error as? ONCRPCError
            return error == .truncated(field: "", offset: 0, needed: 0, available: 0)
                && error?.detail == "XDR call_body.prog at offset 4: needs 4 bytes, only 2 left"
        }
    }

    @Test func booleansOtherThanZeroOrOneAreRejected() {
        #expect(throws: ONCRPCError.invalidBoolean(field: "", offset: 0, value: 0)) {
            try Bool(xdrBytes: [0, 0, 0, 2])
        }
    }

    @Test func lengthBeyondBoundOrInputIsRejectedBeforeAllocating() {
        var bounded = XDRDecoder([0, 0, 0, 5, 0x61, 0x62, 0x63, 0x64, 0x65, 0, 0, 0])
        #expect(throws: ONCRPCError.lengthExceedsLimit(field: "", offset: 0, length: 0, limit: 0)) {
            try bounded.decodeString(maxLength: 4)
        }
        // A forged count of four billion elements with eight bytes of input.
        var forged = XDRDecoder([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1])
        #expect(throws: ONCRPCError.lengthExceedsLimit(field: "", offset: 0, length: 0, limit: 0)) {
            try forged.decodeArray(of: UInt32.self)
        }
        var hugeOpaque = XDRDecoder([0x7f, 0xff, 0xff, 0xff])
        #expect(throws: ONCRPCError.lengthExceedsLimit(field: "", offset: 0, length: 0, limit: 0)) {
            try hugeOpaque.decodeVariableOpaque()
        }
    }

    @Test func nonZeroPaddingIsRejected() {
        #expect(throws: ONCRPCError.nonZeroPadding(field: "", offset: 0)) {
            try String(xdrBytes: [0, 0, 0, 1, 0x61, 0, 1, 0])
        }
    }

    @Test func invalidUTF8IsRejected() {
        #expect(throws: ONCRPCError.invalidUTF8(field: "", offset: 0)) {
            try String(xdrBytes: [0, 0, 0, 2, 0xc3, 0x28, 0, 0])
        }
    }

    @Test func trailingBytesAfterAWholeValueAreRejected() {
        #expect(throws: ONCRPCError.trailingBytes(field: "", offset: 0, count: 0)) {
            try UInt32(xdrBytes: [0, 0, 0, 1, 0, 0, 0, 0])
        }
    }
}

import NIOCore
import Testing

@testable import L2TPWire

@Suite struct L2TPHeaderTests {
    @Test func controlHeaderFromRFCLayout() throws {
        // T=1 L=1 S=1 Ver=2, Length 12, tunnel 0x0102, session 0x0304, Ns 5, Nr 6 (a ZLB).
        let raw = hex("c802 000c 0102 0304 0005 0006")
        let (header, payload) = try L2TPHeader.decode(buffer(raw))
        #expect(header.isControl && header.hasLength && header.hasSequence && !header.priority)
        #expect(header.length == 12 && header.tunnelID == 0x0102 && header.sessionID == 0x0304)
        #expect(header.ns == 5 && header.nr == 6 && header.offsetSize == nil)
        #expect(payload.readableBytes == 0)
        var out = ByteBuffer()
        header.write(into: &out)
        #expect(bytes(out) == raw)
    }

    @Test func dataHeaderVariants() throws {
        // Minimal: no L, S, O.
        var (header, payload) = try L2TPHeader.decode(buffer(hex("0002 0007 0008 ff03 c021")))
        #expect(!header.isControl && !header.hasLength && !header.hasSequence && header.offsetSize == nil)
        #expect(header.tunnelID == 7 && header.sessionID == 8 && bytes(payload) == hex("ff03 c021"))
        // L + S + O with 3 bytes of padding, P bit.
        (header, payload) = try L2TPHeader.decode(buffer(hex("4b02 0015 0007 0008 0001 0002 0003 000000 ff03 c021")))
        #expect(header.hasLength && header.length == 21 && header.ns == 1 && header.nr == 2)
        #expect(header.offsetSize == 3 && header.priority && bytes(payload) == hex("ff03 c021"))
        // Only O with zero offset.
        (header, payload) = try L2TPHeader.decode(buffer(hex("0202 0007 0008 0000 aa")))
        #expect(header.offsetSize == 0 && bytes(payload) == [0xAA])
        // Trailing bytes past Length are ignored.
        (header, payload) = try L2TPHeader.decode(buffer(hex("4002 000a 0001 0002 aabb ccdd")))
        #expect(bytes(payload) == hex("aabb"))
    }

    @Test func rejectsVersion3AndReservedBits() {
        #expect(throws: L2TPWireError(.unsupportedVersion, field: "", offset: nil)) {
            try L2TPHeader.decode(buffer(hex("c803 000c 0000 0000 0000 0000")))
        }
        for flags in ["2002", "1002", "0402", "0012", "0082"] {
            #expect(throws: L2TPWireError(.reservedBitsSet, field: "", offset: nil), "\(flags)") {
                try L2TPHeader.decode(buffer(hex(flags + "0001 0002")))
            }
        }
    }

    @Test func rejectsBadControlFlags() {
        for flags in ["8802", "c002", "ca02", "c902"] {  // no L, no S, O set, P set
            #expect(throws: L2TPWireError(.invalidControlHeader, field: "", offset: nil), "\(flags)") {
                try L2TPHeader.decode(buffer(hex(flags + "000c 0000 0000 0000 0000 0000")))
            }
        }
    }

    @Test func truncationAndLengthErrorsNameFieldAndOffset() throws {
        let error = try #require(throws: L2TPWireError.self) { try L2TPHeader.decode(buffer(hex("c802 000c 0001"))) }
        #expect(error.code == .truncated && error.field == "tunnel id" && error.offset == 4)
        #expect(throws: L2TPWireError(.truncated, field: "", offset: nil)) { try L2TPHeader.decode(buffer([0xC8])) }
        let pad = try #require(throws: L2TPWireError.self) {
            try L2TPHeader.decode(buffer(hex("0202 0001 0002 0010 00")))
        }
        #expect(pad.field == "offset padding" && pad.offset == 8)
        let short = try #require(throws: L2TPWireError.self) {
            try L2TPHeader.decode(buffer(hex("c802 000b 0000 0000 0000 0000")))
        }
        #expect(short.code == .invalidLengthField && short.offset == 2)
        #expect(throws: L2TPWireError(.invalidLengthField, field: "", offset: nil)) {
            try L2TPHeader.decode(buffer(hex("c802 0020 0000 0000 0000 0000")))
        }
    }

    @Test func peekReadsOnlyRoutingFields() {
        #expect(
            L2TPHeader.peek(buffer(hex("c802 000c 0102 0304 0005 0006")))
                == L2TPHeader.Peek(isControl: true, tunnelID: 0x0102, sessionID: 0x0304))
        #expect(
            L2TPHeader.peek(buffer(hex("0002 0007 0008")))
                == L2TPHeader.Peek(isControl: false, tunnelID: 7, sessionID: 8))
        #expect(L2TPHeader.peek(buffer(hex("0003 0007 0008"))) == nil)
        #expect(L2TPHeader.peek(buffer(hex("4002 0007"))) == nil)
    }
}

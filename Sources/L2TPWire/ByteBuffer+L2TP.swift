import NIOCore

// Wire primitives shared by the header, AVP and message codecs. All reads
// are bounds-checked by ByteBuffer and return nil rather than trapping.

extension ByteBuffer {
    /// AVP header word: M bit, H bit, 4 reserved bits, 10-bit length (RFC 2661 4.1).
    static let avpMandatoryBit: UInt16 = 0x8000
    static let avpHiddenBit: UInt16 = 0x4000
    static let avpReservedMask: UInt16 = 0x3C00
    static let avpLengthMask: UInt16 = 0x03FF
    static let avpHeaderLength = 6
    /// Largest AVP the 10-bit length field can describe.
    static let avpMaxLength = 1023

    /// Writes a 6-octet AVP header with a zero length, returning the index to
    /// patch with `patchAVPLength` once the value is written.
    mutating func writeAVPHeader(mandatory: Bool, hidden: Bool, vendorID: UInt16, type: UInt16) -> Int {
        let start = writerIndex
        var word: UInt16 = 0
        if mandatory { word |= Self.avpMandatoryBit }
        if hidden { word |= Self.avpHiddenBit }
        writeInteger(word)
        writeInteger(vendorID)
        writeInteger(type)
        return start
    }

    /// Fills in the length of the AVP that starts at `start`.
    mutating func patchAVPLength(at start: Int, attribute: AVPAttribute) throws(L2TPWireError) {
        let length = writerIndex - start
        guard length <= Self.avpMaxLength else {
            moveWriterIndex(to: start)
            throw .valueTooLong("AVP \(attribute)", length: length, limit: Self.avpMaxLength)
        }
        let word = getInteger(at: start, as: UInt16.self)! | UInt16(length)
        setInteger(word, at: start)
    }

    /// Writes a complete AVP whose value is already encoded as bytes.
    mutating func writeAVP(
        mandatory: Bool, hidden: Bool, vendorID: UInt16, type: UInt16, value: some Collection<UInt8>
    ) throws(L2TPWireError) {
        let start = writeAVPHeader(mandatory: mandatory, hidden: hidden, vendorID: vendorID, type: type)
        writeBytes(value)
        try patchAVPLength(at: start, attribute: AVPAttribute(vendorID: vendorID, type: type))
    }

    /// Reads all readable bytes as an array (no reader index move).
    var l2tpBytes: [UInt8] { getBytes(at: readerIndex, length: readableBytes) ?? [] }
}

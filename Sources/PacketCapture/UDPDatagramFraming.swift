/// Builds the IPv4 and UDP headers that wrap an L2TP payload in a capture
/// (RFC 791, RFC 768), so that tools such as tshark dissect it as UDP/1701.
enum UDPDatagramFraming {
    static let ipv4HeaderLength = 20
    static let udpHeaderLength = 8
    /// Largest payload an IPv4 datagram can carry in UDP.
    static let maxPayload = 65535 - ipv4HeaderLength - udpHeaderLength

    /// Returns the 28 header octets for `payload`.
    static func headers(
        payload: UnsafeRawBufferPointer, source: IPv4Endpoint, destination: IPv4Endpoint, identification: UInt16
    ) -> [UInt8] {
        let udpLength = udpHeaderLength + payload.count
        let totalLength = ipv4HeaderLength + udpLength
        var bytes = [UInt8](repeating: 0, count: ipv4HeaderLength + udpHeaderLength)
        func put16(_ value: UInt16, at index: Int) {
            bytes[index] = UInt8(value >> 8)
            bytes[index + 1] = UInt8(value & 0xFF)
        }
        func put32(_ value: UInt32, at index: Int) {
            put16(UInt16(value >> 16), at: index)
            put16(UInt16(value & 0xFFFF), at: index + 2)
        }
        bytes[0] = 0x45  // version 4, 5-word header
        put16(UInt16(totalLength), at: 2)
        put16(identification, at: 4)
        put16(0x4000, at: 6)  // DF, no fragmentation
        bytes[8] = 64  // TTL
        bytes[9] = 17  // UDP
        put32(source.address, at: 12)
        put32(destination.address, at: 16)
        put16(~onesComplementSum(bytes[0..<ipv4HeaderLength], initial: 0), at: 10)

        put16(source.port, at: 20)
        put16(destination.port, at: 22)
        put16(UInt16(udpLength), at: 24)
        // UDP checksum over the pseudo-header, UDP header and payload (RFC 768).
        var sum: UInt32 = 0
        sum = add(sum, source.address >> 16)
        sum = add(sum, source.address & 0xFFFF)
        sum = add(sum, destination.address >> 16)
        sum = add(sum, destination.address & 0xFFFF)
        sum = add(sum, 17)
        sum = add(sum, UInt32(udpLength))
        let partial = onesComplementSum(bytes[20..<28], initial: sum)
        var checksum = ~onesComplementSum(payload, initial: UInt32(partial))
        if checksum == 0 { checksum = 0xFFFF }  // 0 means "no checksum"
        put16(checksum, at: 26)
        return bytes
    }

    private static func add(_ sum: UInt32, _ value: UInt32) -> UInt32 {
        var total = sum &+ value
        while total > 0xFFFF { total = (total & 0xFFFF) &+ (total >> 16) }
        return total
    }

    /// 16-bit ones' complement sum of `bytes` (odd length padded with zero).
    static func onesComplementSum<Bytes: Collection>(_ bytes: Bytes, initial: UInt32) -> UInt16
    where Bytes.Element == UInt8 {
        var sum = initial
        var high = true
        var word: UInt32 = 0
        for byte in bytes {
            if high {
                word = UInt32(byte) << 8
            } else {
                sum = add(sum, word | UInt32(byte))
            }
            high.toggle()
        }
        if !high { sum = add(sum, word) }
        return UInt16(sum)
    }
}

/// Frames an RPC record for a stream transport (RFC 5531 11): one or more
/// fragments, each with a four-byte header (last-fragment bit, 31-bit length).
public struct RecordMarkingEncoder: Sendable {
    /// The largest fragment payload. Large replies (tens of megabytes for 65,535
    /// sessions) are split into many fragments so no single header is huge and
    /// peers with a per-fragment limit still accept them.
    public let maxFragmentSize: Int

    public init(maxFragmentSize: Int = 1 << 20) {
        precondition(maxFragmentSize > 0 && maxFragmentSize <= 0x7fff_ffff, "fragment size must fit 31 bits")
        self.maxFragmentSize = maxFragmentSize
    }

    /// The framed bytes of `record`; an empty record is one empty last fragment.
    public func frame(_ record: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let fragmentCount = max(1, (record.count + maxFragmentSize - 1) / maxFragmentSize)
        out.reserveCapacity(record.count + 4 * fragmentCount)
        var start = 0
        repeat {
            let end = min(start + maxFragmentSize, record.count)
            var header = UInt32(end - start)
            if end == record.count { header |= 0x8000_0000 }
            out.append(UInt8(truncatingIfNeeded: header >> 24))
            out.append(UInt8(truncatingIfNeeded: header >> 16))
            out.append(UInt8(truncatingIfNeeded: header >> 8))
            out.append(UInt8(truncatingIfNeeded: header))
            out.append(contentsOf: record[start..<end])
            start = end
        } while start < record.count
        return out
    }
}

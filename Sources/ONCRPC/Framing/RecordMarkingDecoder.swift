/// Reassembles RPC records from a byte stream (RFC 5531 11, record marking).
///
/// Each fragment starts with a four-byte header: the high bit marks the last
/// fragment of a record, the low 31 bits give the fragment length. Feed bytes as
/// they arrive, in any split; pull complete records with `nextRecord()`.
/// Sans-IO: no sockets, no clock (the transport owns timeouts).
public struct RecordMarkingDecoder: Sendable {
    /// Largest record accepted; a header announcing more fails immediately,
    /// before any of the payload arrives, so a forged length costs nothing.
    public let maxRecordSize: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Fragments of the record in progress that are already complete.
    private var partialRecord: [UInt8] = []
    /// The header of the fragment currently being received, if read.
    private var currentFragment: (length: Int, isLast: Bool)?
    private var sawAnyByteOfRecord = false

    public init(maxRecordSize: Int) {
        self.maxRecordSize = maxRecordSize
    }

    /// True while part of a record has arrived but not all of it.
    public var hasPartialRecord: Bool { sawAnyByteOfRecord || readIndex < buffer.count }

    /// Bytes buffered but not yet returned as part of a record.
    public var bufferedByteCount: Int { buffer.count - readIndex + partialRecord.count }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete record, nil if more bytes are needed. Throws
    /// `recordTooLarge` when the record would exceed `maxRecordSize`; the stream
    /// cannot be resynchronised after that and the connection should be closed.
    public mutating func nextRecord() throws -> [UInt8]? {
        while true {
            if currentFragment == nil {
                guard buffer.count - readIndex >= 4 else { return nil }
                let header =
                    UInt32(buffer[readIndex]) << 24 | UInt32(buffer[readIndex + 1]) << 16
                    | UInt32(buffer[readIndex + 2]) << 8 | UInt32(buffer[readIndex + 3])
                readIndex += 4
                sawAnyByteOfRecord = true
                let length = Int(header & 0x7fff_ffff)
                let total = partialRecord.count + length
                guard total <= maxRecordSize else {
                    throw ONCRPCError.recordTooLarge(length: total, limit: maxRecordSize)
                }
                currentFragment = (length, header & 0x8000_0000 != 0)
            }
            guard let fragment = currentFragment, buffer.count - readIndex >= fragment.length else { return nil }
            partialRecord.append(contentsOf: buffer[readIndex..<(readIndex + fragment.length)])
            readIndex += fragment.length
            currentFragment = nil
            if fragment.isLast {
                let record = partialRecord
                partialRecord = []
                sawAnyByteOfRecord = false
                return record
            }
        }
    }
}

import Testing

@testable import ONCRPC

@Suite struct RecordMarkingTests {
    @Test func singleFragmentHasLastBitAndLength() {
        #expect(RecordMarkingEncoder().frame([1, 2, 3]) == [0x80, 0, 0, 3, 1, 2, 3])
        #expect(RecordMarkingEncoder().frame([]) == [0x80, 0, 0, 0])
    }

    @Test func largeRecordsSplitIntoFragments() {
        let record = (0..<10).map { UInt8($0) }
        let framed = RecordMarkingEncoder(maxFragmentSize: 4).frame(record)
        #expect(
            framed == [
                0x00, 0, 0, 4, 0, 1, 2, 3,
                0x00, 0, 0, 4, 4, 5, 6, 7,
                0x80, 0, 0, 2, 8, 9,
            ])
    }

    @Test func multiFragmentRecordReassemblesFedByteByByte() throws {
        let record = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let framed = RecordMarkingEncoder(maxFragmentSize: 100).frame(record)
        var decoder = RecordMarkingDecoder(maxRecordSize: 4096)
        var received: [[UInt8]] = []
        for byte in framed {
            decoder.feed([byte])
            while let next = try decoder.nextRecord() { received.append(next) }
        }
        #expect(received == [record])
        #expect(!decoder.hasPartialRecord)
    }

    @Test func severalRecordsInOneReadComeOutInOrder() throws {
        let encoder = RecordMarkingEncoder(maxFragmentSize: 3)
        var decoder = RecordMarkingDecoder(maxRecordSize: 100)
        decoder.feed(encoder.frame([1]) + encoder.frame([2, 3, 4, 5]) + encoder.frame([]) + [0x80, 0])
        #expect(try decoder.nextRecord() == [1])
        #expect(try decoder.nextRecord() == [2, 3, 4, 5])
        #expect(try decoder.nextRecord() == [])
        #expect(try decoder.nextRecord() == nil)
        #expect(decoder.hasPartialRecord)
    }

    @Test func partialRecordIsReportedUntilComplete() throws {
        var decoder = RecordMarkingDecoder(maxRecordSize: 100)
        decoder.feed([0x80, 0, 0, 8, 1, 2])
        #expect(try decoder.nextRecord() == nil)
        #expect(decoder.hasPartialRecord)
        decoder.feed([3, 4, 5, 6, 7, 8])
        #expect(try decoder.nextRecord() == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(!decoder.hasPartialRecord)
    }

    @Test func oversizeHeaderIsRejectedBeforeThePayloadArrives() {
        var decoder = RecordMarkingDecoder(maxRecordSize: 1 << 20)
        decoder.feed([0xff, 0xff, 0xff, 0xff])
        #expect(throws: ONCRPCError.recordTooLarge(length: 0, limit: 0)) { try decoder.nextRecord() }
    }

    @Test func fragmentsAddingUpBeyondTheLimitAreRejected() throws {
        var decoder = RecordMarkingDecoder(maxRecordSize: 10)
        decoder.feed([0, 0, 0, 6, 1, 2, 3, 4, 5, 6])
        #expect(try decoder.nextRecord() == nil)
        decoder.feed([0x80, 0, 0, 5])
        #expect(throws: ONCRPCError.recordTooLarge(length: 0, limit: 0)) { try decoder.nextRecord() }
    }
}

import L2TPControl
import Testing

@Suite struct SequenceNumberTests {
    @Test func rfcExampleOfLessOrEqual() {
        // RFC 2661 5.8: last received 15 -> 0...15 and 32784...65535 are "<=".
        let last = SequenceNumber(15)
        for value in [0, 7, 15, 32784, 40000, 65535] as [UInt16] {
            #expect(SequenceNumber(value).isAtOrBefore(last), "\(value)")
        }
        for value in [16, 100, 32783] as [UInt16] {
            #expect(!SequenceNumber(value).isAtOrBefore(last), "\(value)")
        }
    }

    @Test func wrapsAround() {
        #expect(SequenceNumber(65535).next == SequenceNumber(0))
        #expect(SequenceNumber(65535).isBefore(SequenceNumber(0)))
        #expect(!SequenceNumber(0).isBefore(SequenceNumber(65535)))
        #expect(SequenceNumber(3).distance(from: SequenceNumber(65534)) == 5)
        #expect(!SequenceNumber(9).isBefore(SequenceNumber(9)))
    }
}

/// A control-channel sequence number (Ns or Nr): 16 bits, free running,
/// compared modulo 65536 (RFC 2661 5.8).
public struct SequenceNumber: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// The next number, wrapping from 65535 to 0.
    public var next: SequenceNumber { SequenceNumber(rawValue &+ 1) }

    public func advanced(by n: UInt16) -> SequenceNumber { SequenceNumber(rawValue &+ n) }

    /// How far `self` is ahead of `other`, modulo 65536.
    public func distance(from other: SequenceNumber) -> UInt16 { rawValue &- other.rawValue }

    /// RFC 2661 5.8: a number is "less than or equal" to `reference` when it
    /// lies in `reference` and the 32767 values before it.
    public func isAtOrBefore(_ reference: SequenceNumber) -> Bool {
        reference.rawValue &- rawValue <= 32767
    }

    /// Strictly before `reference` in the same modular sense.
    public func isBefore(_ reference: SequenceNumber) -> Bool {
        self != reference && isAtOrBefore(reference)
    }

    public var description: String { String(rawValue) }
}

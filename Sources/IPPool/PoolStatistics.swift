/// Counts of one pool, kept up to date on every change (never recounted).
public struct PoolStatistics: Hashable, Sendable {
    public var total = 0
    public var available = 0
    public var allocated = 0
    public var reserved = 0
    /// Allocations refused because the pool had nothing to give.
    public var exhaustedCount = 0

    public init() {}
}

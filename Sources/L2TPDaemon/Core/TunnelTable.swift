/// Every tunnel and session the daemon holds, whatever its state, from the
/// moment a peer asks for it (or the operator creates it) until its control
/// state is freed: the one table every limit counts.
///
/// Records change in place through the subscript; the table keeps the
/// session count and the half-open set current as they do, so a limit
/// check is O(1) however many tunnels there are.
public struct TunnelTable: Sequence {
    private var records: [UInt16: TunnelRecord] = [:]
    /// Sessions over all tunnels, in every state.
    public private(set) var sessionCount = 0
    /// Tunnels a peer asked for that are not established yet: they answer
    /// from the listener and do not count against `max_tunnels`.
    public private(set) var halfOpen: Set<UInt16> = []

    public init() {}

    public subscript(id: UInt16) -> TunnelRecord? {
        get { records[id] }
        _modify {
            // In place: a tunnel's session dictionary is never copied to
            // change one session (65,535 sessions in a tunnel are routine).
            let before = records[id]?.sessions.count ?? 0
            yield &records[id]
            sessionCount += (records[id]?.sessions.count ?? 0) - before
            if records[id] == nil { halfOpen.remove(id) }
        }
    }

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }
    public var keys: Dictionary<UInt16, TunnelRecord>.Keys { records.keys }
    public var values: Dictionary<UInt16, TunnelRecord>.Values { records.values }

    public func makeIterator() -> Dictionary<UInt16, TunnelRecord>.Iterator { records.makeIterator() }

    @discardableResult
    mutating func removeValue(forKey id: UInt16) -> TunnelRecord? {
        guard let record = records.removeValue(forKey: id) else { return nil }
        sessionCount -= record.sessions.count
        halfOpen.remove(id)
        return record
    }

    /// A peer's tunnel, until it is established or gone.
    mutating func markHalfOpen(_ id: UInt16) {
        if records[id] != nil { halfOpen.insert(id) }
    }

    mutating func markNotHalfOpen(_ id: UInt16) { halfOpen.remove(id) }

    /// Storage sized to what is held now (a dictionary keeps its peak capacity).
    mutating func compact() {
        records = Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0.value) })
        halfOpen = Set(halfOpen)
    }
}

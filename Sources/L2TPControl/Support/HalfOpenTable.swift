import DequeModule

/// The endpoint's half-open tunnels (responders that never reached
/// established) in arrival order, so the oldest can be discarded first when
/// the table is full. Removal of a member that became established or was
/// freed is O(1): the id leaves the member set and its queue entry is
/// skipped when it reaches the front.
struct HalfOpenTable {
    private var order = Deque<TunnelID>()
    private var members = Set<TunnelID>()

    var count: Int { members.count }

    mutating func append(_ id: TunnelID) {
        if members.insert(id).inserted { order.append(id) }
    }

    mutating func remove(_ id: TunnelID) {
        guard members.remove(id) != nil else { return }
        // Queue entries of departed members are dropped lazily; keep the
        // queue from growing past twice the members under churn.
        if order.count > 2 * members.count + 64 { order.removeAll { !members.contains($0) } }
    }

    /// The oldest member, removed from the table.
    mutating func popOldest() -> TunnelID? {
        while let id = order.popFirst() {
            if members.remove(id) != nil { return id }
        }
        return nil
    }
}

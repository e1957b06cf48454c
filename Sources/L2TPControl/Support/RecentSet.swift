import DequeModule

/// A set that remembers only its `capacity` most recent insertions.
struct RecentSet<Element: Hashable> {
    private var members: Set<Element> = []
    private var order: Deque<Element> = []
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func contains(_ element: Element) -> Bool { members.contains(element) }

    mutating func insert(_ element: Element) {
        guard members.insert(element).inserted else { return }
        order.append(element)
        if order.count > capacity, let oldest = order.popFirst() { members.remove(oldest) }
    }
}

/// A binary min-heap of (deadline, key) pairs with lazy deletion: callers
/// push freely and skip entries that no longer match their owner's state.
/// Keeps 1,000 session timers in a tunnel at O(log n) per operation.
struct DeadlineHeap<Key: Hashable> {
    private var items: [(deadline: L2TPInstant, key: Key)] = []

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    var first: (deadline: L2TPInstant, key: Key)? { items.first }

    mutating func push(_ deadline: L2TPInstant, _ key: Key) {
        items.append((deadline, key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].deadline < items[parent].deadline else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func popFirst() -> (deadline: L2TPInstant, key: Key)? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left].deadline < items[smallest].deadline { smallest = left }
            if right < items.count, items[right].deadline < items[smallest].deadline { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    mutating func removeAll() { items.removeAll() }
}

/// One named pool: its address blocks, the state of every address and a
/// queue of free addresses.
///
/// Allocation is amortised O(1): the free queue is consumed from its head and
/// entries whose address is no longer free (reserved, block removed) are
/// skipped and compacted away; the per-address state array is the single
/// source of truth, so an address is never handed out twice. Freed addresses
/// go to the tail, so a just-released address is reused last (routes and ARP
/// entries of the old session have time to go). Lookups of an address are
/// O(log blocks).
public struct AddressPool: Sendable {
    public let name: String
    /// Refuse new allocations (existing ones can still be freed).
    public var drain = false
    /// At most this many allocated at once (0: no limit).
    public var maxAddresses = 0

    /// Blocks sorted by first address, each with one state byte per address.
    public private(set) var blocks: [AddressBlock] = []
    private var states: [[AddressState]] = []
    private var freeQueue: [UInt32] = []
    private var freeHead = 0
    public private(set) var statistics = PoolStatistics()

    public init(name: String) throws(IPPoolError) {
        try Self.validate(name: name)
        self.name = name
    }

    static func validate(name: String) throws(IPPoolError) {
        guard !name.isEmpty, name.utf8.count <= 64,
            name.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
            })
        else {
            throw .invalidParameter("pool_name", "'\(name)' must be 1-64 characters of letters, digits, '-', '_', '.'")
        }
    }

    // MARK: - Blocks

    /// Adds `block`; the caller has checked it does not overlap other pools.
    public mutating func add(_ block: AddressBlock) throws(IPPoolError) {
        if let other = blocks.first(where: { $0.overlaps(block) }) {
            throw .overlap(block, with: other, pool: name)
        }
        let index = blocks.firstIndex(where: { $0.first > block.first }) ?? blocks.count
        blocks.insert(block, at: index)
        states.insert([AddressState](repeating: .free, count: Int(block.count)), at: index)
        freeQueue.reserveCapacity(freeQueue.count + Int(block.count))
        for offset in 0..<block.count { freeQueue.append(block.first.value + offset) }
        statistics.total += Int(block.count)
        statistics.available += Int(block.count)
    }

    /// Removes a block exactly as it was added; refused while any of its
    /// addresses is allocated.
    public mutating func remove(_ block: AddressBlock) throws(IPPoolError) {
        guard let index = blocks.firstIndex(of: block) else { throw .noSuchBlock(block, pool: name) }
        let allocated = states[index].count { $0 == .allocated }
        guard allocated == 0 else { throw .inUse(pool: name, allocated: allocated, action: "remove block \(block)") }
        let reserved = states[index].count { $0 == .reserved }
        blocks.remove(at: index)
        states.remove(at: index)
        statistics.total -= Int(block.count)
        statistics.reserved -= reserved
        statistics.available -= Int(block.count) - reserved
        compactIfNeeded()
    }

    // MARK: - Addresses

    public func state(of address: IPv4) -> AddressState? {
        guard let (block, offset) = locate(address) else { return nil }
        return states[block][offset]
    }

    /// Takes the next free address.
    public mutating func allocate() throws(IPPoolError) -> IPv4 {
        if drain {
            statistics.exhaustedCount += 1
            throw .draining(pool: name)
        }
        if maxAddresses > 0, statistics.allocated >= maxAddresses {
            statistics.exhaustedCount += 1
            throw .exhausted(pool: name, reason: "max_addrs=\(maxAddresses) are allocated")
        }
        while freeHead < freeQueue.count {
            let candidate = IPv4(freeQueue[freeHead])
            freeHead += 1
            if let (block, offset) = locate(candidate), states[block][offset] == .free {
                states[block][offset] = .allocated
                statistics.available -= 1
                statistics.allocated += 1
                compactIfNeeded()
                return candidate
            }
        }
        statistics.exhaustedCount += 1
        compactIfNeeded()
        throw .exhausted(
            pool: name,
            reason: statistics.total == 0
                ? "it has no addresses" : "all \(statistics.total) addresses are allocated or reserved")
    }

    /// Gives `address` back. Freeing an address that is not allocated is an
    /// error, never a silent no-op: it means two sessions thought they owned it.
    public mutating func free(_ address: IPv4) throws(IPPoolError) {
        guard let (block, offset) = locate(address) else { throw .notInPool(address, pool: name) }
        let state = states[block][offset]
        guard state == .allocated else { throw .notAllocated(address, pool: name, state: state.description) }
        states[block][offset] = .free
        statistics.allocated -= 1
        statistics.available += 1
        freeQueue.append(address.value)
    }

    /// Marks a specific free address allocated (carrying allocations over a
    /// configuration reload).
    public mutating func claim(_ address: IPv4) throws(IPPoolError) {
        let positions = try positions(address, count: 1, expecting: .free, action: "claim")
        for (block, offset) in positions { states[block][offset] = .allocated }
        statistics.available -= 1
        statistics.allocated += 1
    }

    /// Sets aside `count` addresses from `first`: all must be in the pool and
    /// free; nothing changes unless all can be reserved.
    public mutating func reserve(_ first: IPv4, count: UInt32 = 1) throws(IPPoolError) {
        let positions = try positions(first, count: count, expecting: .free, action: "reserve")
        for (block, offset) in positions { states[block][offset] = .reserved }
        statistics.available -= positions.count
        statistics.reserved += positions.count
    }

    /// Makes reserved addresses allocatable again (all or nothing).
    public mutating func unreserve(_ first: IPv4, count: UInt32 = 1) throws(IPPoolError) {
        let positions = try positions(first, count: count, expecting: .reserved, action: "unreserve")
        for (block, offset) in positions {
            states[block][offset] = .free
            freeQueue.append(blocks[block].first.value + UInt32(offset))
        }
        statistics.available += positions.count
        statistics.reserved -= positions.count
    }

    /// Every address in `state`, ascending (for `show`, config save and tests).
    public func addresses(in state: AddressState) -> [IPv4] {
        var result: [IPv4] = []
        for (index, block) in blocks.enumerated() {
            for (offset, s) in states[index].enumerated() where s == state {
                result.append(IPv4(block.first.value + UInt32(offset)))
            }
        }
        return result
    }

    /// Runs of consecutive addresses in `state`, for compact config files.
    public func runs(in state: AddressState) -> [AddressBlock] {
        var runs: [AddressBlock] = []
        var start: UInt32?
        var previous: UInt32 = 0
        for address in addresses(in: state) {
            if start != nil, address.value == previous &+ 1 {
                previous = address.value
                continue
            }
            if let s = start, let run = try? AddressBlock(first: IPv4(s), count: previous - s + 1) { runs.append(run) }
            start = address.value
            previous = address.value
        }
        if let s = start, let run = try? AddressBlock(first: IPv4(s), count: previous - s + 1) { runs.append(run) }
        return runs
    }

    // MARK: - Internals

    private func locate(_ address: IPv4) -> (Int, Int)? {
        var low = 0
        var high = blocks.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let block = blocks[middle]
            if address.value < block.first.value {
                high = middle - 1
            } else if address.value > block.last.value {
                low = middle + 1
            } else {
                return (middle, Int(address.value - block.first.value))
            }
        }
        return nil
    }

    private func positions(_ first: IPv4, count: UInt32, expecting: AddressState, action: String)
        throws(IPPoolError) -> [(Int, Int)]
    {
        let range = try AddressBlock(first: first, count: count)
        var result: [(Int, Int)] = []
        result.reserveCapacity(Int(count))
        for offset in 0..<range.count {
            let address = IPv4(range.first.value + offset)
            guard let position = locate(address) else { throw .notInPool(address, pool: name) }
            let state = states[position.0][position.1]
            guard state == expecting else {
                throw .notFree(address, pool: name, state: "\(state), cannot \(action)")
            }
            result.append(position)
        }
        return result
    }

    /// Drops consumed and stale queue entries once they dominate, keeping
    /// the queue O(free addresses) and each allocation amortised O(1).
    private mutating func compactIfNeeded() {
        let consumed = freeHead > 1024 && freeHead * 2 > freeQueue.count
        guard consumed || freeQueue.count - freeHead > 2 * statistics.available + 1024 else { return }
        var kept: [UInt32] = []
        kept.reserveCapacity(statistics.available)
        var seen = Set<UInt32>()
        for value in freeQueue[freeHead...] {
            if let (b, o) = locate(IPv4(value)), states[b][o] == .free, seen.insert(value).inserted {
                kept.append(value)
            }
        }
        freeQueue = kept
        freeHead = 0
    }
}

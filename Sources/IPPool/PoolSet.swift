/// All pools of one ippoold: names are unique and no address belongs to two
/// pools (or two blocks), so an allocation can never collide with another
/// pool's. Pure state; ippoold serialises access to it.
public struct PoolSet: Sendable {
    public private(set) var pools: [String: AddressPool] = [:]

    public init() {}

    public var names: [String] { pools.keys.sorted() }

    public func pool(_ name: String) throws(IPPoolError) -> AddressPool {
        guard let pool = pools[name] else { throw .poolNotFound(name) }
        return pool
    }

    public mutating func create(_ name: String, block: AddressBlock? = nil, maxAddresses: Int = 0, drain: Bool = false)
        throws(IPPoolError)
    {
        guard pools[name] == nil else { throw .poolExists(name) }
        var pool = try AddressPool(name: name)
        pool.maxAddresses = maxAddresses
        pool.drain = drain
        if let block {
            try checkNoOverlap(block)
            try pool.add(block)
        }
        pools[name] = pool
    }

    /// Deletes a pool; refused while it has allocated addresses (their
    /// sessions would later free addresses of a pool that no longer exists).
    public mutating func delete(_ name: String) throws(IPPoolError) {
        let pool = try pool(name)
        guard pool.statistics.allocated == 0 else {
            throw .inUse(pool: name, allocated: pool.statistics.allocated, action: "delete the pool")
        }
        pools[name] = nil
    }

    public mutating func modify(_ name: String, maxAddresses: Int?, drain: Bool?) throws(IPPoolError) {
        var pool = try pool(name)
        if let maxAddresses { pool.maxAddresses = maxAddresses }
        if let drain { pool.drain = drain }
        pools[name] = pool
    }

    public mutating func add(_ block: AddressBlock, to name: String) throws(IPPoolError) {
        _ = try pool(name)
        try checkNoOverlap(block)
        try pools[name]!.add(block)
    }

    public mutating func remove(_ block: AddressBlock, from name: String) throws(IPPoolError) {
        _ = try pool(name)
        try pools[name]!.remove(block)
    }

    public mutating func reserve(_ first: IPv4, count: UInt32, in name: String) throws(IPPoolError) {
        _ = try pool(name)
        try pools[name]!.reserve(first, count: count)
    }

    public mutating func unreserve(_ first: IPv4, count: UInt32, in name: String) throws(IPPoolError) {
        _ = try pool(name)
        try pools[name]!.unreserve(first, count: count)
    }

    public mutating func allocate(from name: String) throws(IPPoolError) -> IPv4 {
        _ = try pool(name)
        // In place (no copy of the state arrays); a refusal still counts
        // in the pool's exhaustion statistics.
        return try pools[name]!.allocate()
    }

    public mutating func free(_ address: IPv4, in name: String) throws(IPPoolError) {
        _ = try pool(name)
        try pools[name]!.free(address)
    }

    private func checkNoOverlap(_ block: AddressBlock) throws(IPPoolError) {
        for name in names {
            if let other = pools[name]!.blocks.first(where: { $0.overlaps(block) }) {
                throw .overlap(block, with: other, pool: name)
            }
        }
    }

    /// This configuration with the allocations of `running` carried over
    /// (SIGHUP): an allocation whose pool or address is gone, or is now
    /// reserved, is returned as lost so the daemon can log it.
    public func adoptingAllocations(of running: PoolSet) -> (pools: PoolSet, lost: [(pool: String, address: IPv4)]) {
        var result = self
        var lost: [(pool: String, address: IPv4)] = []
        for name in running.names {
            for address in running.pools[name]!.addresses(in: .allocated) {
                if result.pools[name] != nil, (try? result.pools[name]!.claim(address)) != nil { continue }
                lost.append((name, address))
            }
        }
        return (result, lost)
    }
}

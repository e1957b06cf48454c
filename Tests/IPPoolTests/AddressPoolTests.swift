import Testing

@testable import IPPool

@Suite struct AddressPoolTests {
    func pool(_ first: String = "10.0.0.1", count: UInt32) throws -> AddressPool {
        var pool = try AddressPool(name: "p")
        try pool.add(try AddressBlock(first: IPv4(first)!, count: count))
        return pool
    }

    @Test func allocatesEveryAddressOfAWholeBlockExactlyOnceThenReportsExhaustion() throws {
        var pool = try pool(count: 65_536)
        var seen = Set<UInt32>()
        for _ in 0..<65_536 {
            let address = try pool.allocate()
            #expect(seen.insert(address.value).inserted, "address \(address) handed out twice")
        }
        #expect(seen.count == 65_536)
        #expect(seen.min() == IPv4("10.0.0.1")!.value)
        #expect(seen.max() == IPv4("10.1.0.0")!.value)
        #expect(pool.statistics.available == 0 && pool.statistics.allocated == 65_536)
        let error = #expect(throws: IPPoolError.self) { try pool.allocate() }
        #expect(error?.kind == .exhausted)
        #expect(error?.message.contains("all 65536 addresses") == true)
        #expect(pool.statistics.exhaustedCount == 1)
    }

    @Test func freedAddressIsReusedAfterTheOthersAndNeverTwice() throws {
        var pool = try pool(count: 3)
        let a = try pool.allocate()
        let b = try pool.allocate()
        #expect(a.description == "10.0.0.1" && b.description == "10.0.0.2")
        try pool.free(a)
        #expect(try pool.allocate().description == "10.0.0.3")
        #expect(try pool.allocate() == a)
        #expect(throws: IPPoolError.self) { try pool.allocate() }
        // Free/reserve/unreserve churn leaves stale queue entries: still unique.
        try pool.free(a)
        try pool.reserve(a)
        try pool.unreserve(a)
        try pool.free(b)
        var again = Set<UInt32>()
        while let next = try? pool.allocate() { #expect(again.insert(next.value).inserted) }
        #expect(again == [a.value, b.value])
    }

    @Test func freeingUnknownOrUnallocatedAddressIsAnError() throws {
        var pool = try pool(count: 4)
        let outside = #expect(throws: IPPoolError.self) { try pool.free(IPv4("192.0.2.1")!) }
        #expect(outside?.kind == .notInPool)
        #expect(outside?.message == "192.0.2.1 is not an address of pool 'p'")
        let notAllocated = #expect(throws: IPPoolError.self) { try pool.free(IPv4("10.0.0.2")!) }
        #expect(notAllocated?.kind == .notAllocated)
        #expect(notAllocated?.message.contains("it is free") == true)
        let a = try pool.allocate()
        try pool.free(a)
        #expect(throws: IPPoolError.self) { try pool.free(a) }
        #expect(pool.statistics.available == 4 && pool.statistics.allocated == 0)
    }

    @Test func reservedAddressesAreNeverAllocatedAndReservationIsAllOrNothing() throws {
        var pool = try pool(count: 5)
        try pool.reserve(IPv4("10.0.0.2")!, count: 2)
        #expect(pool.statistics.reserved == 2 && pool.statistics.available == 3)
        var got: [String] = []
        while let next = try? pool.allocate() { got.append(next.description) }
        #expect(got == ["10.0.0.1", "10.0.0.4", "10.0.0.5"])
        // 10.0.0.5 allocated: reserving 10.0.0.4-6 fails and changes nothing.
        try pool.free(IPv4("10.0.0.4")!)
        let error = #expect(throws: IPPoolError.self) { try pool.reserve(IPv4("10.0.0.4")!, count: 2) }
        #expect(error?.message.contains("10.0.0.5") == true)
        #expect(pool.state(of: IPv4("10.0.0.4")!) == .free)
        try pool.unreserve(IPv4("10.0.0.2")!, count: 2)
        #expect(pool.statistics.reserved == 0 && pool.statistics.available == 3)
        #expect(throws: IPPoolError.self) { try pool.unreserve(IPv4("10.0.0.2")!) }
    }

    @Test func blocksCannotOverlapAndRemovalIsRefusedWhileAllocated() throws {
        var pool = try pool(count: 10)
        let overlap = #expect(throws: IPPoolError.self) {
            try pool.add(try AddressBlock(first: IPv4("10.0.0.10")!, count: 5))
        }
        #expect(overlap?.kind == .overlap)
        let second = try AddressBlock(first: IPv4("10.0.1.0")!, count: 2)
        try pool.add(second)
        #expect(pool.statistics.total == 12)
        for _ in 0..<10 { _ = try pool.allocate() }
        let inSecond = try pool.allocate()
        #expect(second.contains(inSecond))
        #expect(throws: IPPoolError.self) { try pool.remove(second) }
        try pool.free(inSecond)
        try pool.remove(second)
        #expect(pool.statistics.total == 10 && pool.statistics.available == 0)
        #expect(throws: IPPoolError.self) { try pool.allocate() }
        let missing = #expect(throws: IPPoolError.self) { try pool.remove(second) }
        #expect(missing?.message.contains("has no block") == true)
    }

    @Test func netmaskBlocksLeaveOutNetworkAndBroadcast() throws {
        let block = try AddressBlock(network: IPv4("192.168.7.77")!, prefixLength: 24)
        #expect(block.description == "192.168.7.1-192.168.7.254" && block.count == 254)
        #expect(try AddressBlock(network: IPv4("10.0.0.1")!, prefixLength: 31).count == 2)
        #expect(throws: IPPoolError.self) { try AddressBlock(network: IPv4("10.0.0.1")!, prefixLength: 8) }
        #expect(throws: IPPoolError.self) { try AddressBlock(first: IPv4("255.255.255.250")!, count: 10) }
        #expect(throws: IPPoolError.self) { try AddressBlock(first: IPv4("10.0.0.0")!, count: 0) }
    }

    @Test func maxAddressesAndDrainLimitAllocation() throws {
        var pool = try pool(count: 10)
        pool.maxAddresses = 2
        _ = try pool.allocate()
        let b = try pool.allocate()
        #expect(#expect(throws: IPPoolError.self) { try pool.allocate() }?.kind == .exhausted)
        pool.drain = true
        try pool.free(b)
        #expect(#expect(throws: IPPoolError.self) { try pool.allocate() }?.kind == .draining)
    }

    @Test func addressParsingIsStrict() {
        #expect(IPv4("10.0.0.1")?.value == 0x0a00_0001)
        for bad in ["10.0.0", "10.0.0.256", "10.0.0.1.", "a.b.c.d", "", "1..2.3", "+1.2.3.4", "1.2.3.1234"] {
            #expect(IPv4(bad) == nil, "accepted '\(bad)'")
        }
    }
}

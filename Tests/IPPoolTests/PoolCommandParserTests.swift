import Testing

@testable import IPPool

@Suite struct PoolCommandParserTests {
    @Test func quickStartExampleParsesAndCreatesAHundredAddresses() throws {
        var pools = PoolSet()
        try pools.load("pool create pool_name=default first_addr=10.5.0.1 num_addrs=100\n", file: "ippoold.conf")
        let pool = try pools.pool("default")
        #expect(pool.statistics.total == 100)
        #expect(pool.blocks.first?.description == "10.5.0.1-10.5.0.100")
    }

    @Test func emptyOptionalValueMeansNotSet() throws {
        let command = try PoolCommandParser.parseLine("pool modify pool_name=a max_addrs= drain=yes")
        #expect(command["max_addrs"] == nil && command["drain"] == "yes")
    }

    @Test func prefixesOfKeywordsAndParameterNamesAreAccepted() throws {
        let command = try PoolCommandParser.parseLine("po addr add pool=a first=10.0.0.1 netm=255.255.255.0")
        #expect(command.path == .addressAdd)
        #expect(command["pool_name"] == "a" && command["netmask"] == "/24")
    }

    @Test func badInputGivesMessagesNamingTheProblem() {
        let cases: [(String, String)] = [
            ("pool frobnicate", "unknown keyword 'frobnicate' after 'pool'"),
            ("pool", "incomplete command 'pool'"),
            ("pool a", "'a' is ambiguous: address, allocate"),
            ("pool create", "pool_name: required by 'pool create'"),
            ("pool create pool_name=x colour=red", "colour: not a parameter of 'pool create'"),
            ("pool address add pool_name=x first_addr=10.0.0.300 num_addrs=1", "first_addr: '10.0.0.300' is not"),
            ("pool address add pool_name=x first_addr=10.0.0.1", "num_addrs or netmask: required"),
            ("pool address add pool_name=x first_addr=10.0.0.1 num_addrs=2 netmask=/24", "netmask: cannot be combined"),
            ("pool create pool_name=x first_addr=10.0.0.1", "give first_addr with exactly one"),
            ("pool modify pool_name=x drain=maybe", "drain: 'maybe' is not yes or no"),
            ("pool free pool_name=x addr=1.2.3.4 addr=1.2.3.5", "addr: given more than once"),
            ("pool list extra", "takes name=value arguments only"),
            // The quick start's example as extracted (its address was lost).
            (
                "pool create pool_name=default first_addr= num_addrs=100",
                "first_addr: is needed for the pool's first block but was given an empty value"
            ),
            ("pool delete pool_name=", "pool_name: is required by 'pool delete' but was given an empty value"),
        ]
        for (line, expected) in cases {
            do {
                _ = try PoolCommandParser.parseLine(line)
                Issue.record("'\(line)' was accepted")
            } catch {
                #expect(error.description.contains(expected), "'\(line)': \(error.description)")
            }
        }
    }

    @Test func configFileErrorsCarryFileAndLineAndApplyNothing() {
        var pools = PoolSet()
        let text = """
            pool create pool_name=a first_addr=10.0.0.1 num_addrs=10
            # comment
            pool create pool_name=b first_addr=10.0.0.5 num_addrs=10
            """
        let error = #expect(throws: LocatedPoolError.self) { try pools.load(text, file: "/etc/ippoold.conf") }
        #expect(
            error?.description.hasPrefix("/etc/ippoold.conf:3: first_addr: block 10.0.0.5-10.0.0.14 overlaps") == true)
        #expect(pools.names.isEmpty)
        let notAllowed = #expect(throws: LocatedPoolError.self) {
            try pools.load("pool create pool_name=a\npool allocate pool_name=a\n", file: "f")
        }
        #expect(notAllowed?.description == "f:2: 'pool allocate' is not allowed in a configuration file")
    }

    @Test func savedConfigurationReadsBackIntoTheSamePools() throws {
        var pools = PoolSet()
        _ = try pools.execute(
            .poolCreate, [("pool_name", "default"), ("first_addr", "10.5.0.1"), ("num_addrs", "100")])
        _ = try pools.execute(.addressAdd, [("pool_name", "default"), ("first_addr", "10.6.0.0"), ("netmask", "/30")])
        _ = try pools.execute(
            .addressReserve, [("pool_name", "default"), ("first_addr", "10.5.0.10"), ("num_addrs", "3")])
        _ = try pools.execute(.addressReserve, [("pool_name", "default"), ("first_addr", "10.5.0.20")])
        _ = try pools.execute(.poolCreate, [("pool_name", "staff"), ("max_addrs", "5"), ("drain", "yes")])
        _ = try pools.execute(.allocate, [("pool_name", "default")])
        let text = pools.configurationText
        var restored = PoolSet()
        try restored.load(text, file: "saved")
        #expect(restored.configurationText == text)
        let original = try pools.pool("default"), copy = try restored.pool("default")
        #expect(copy.blocks == original.blocks)
        #expect(copy.addresses(in: .reserved) == original.addresses(in: .reserved))
        #expect(copy.statistics.total == 102 && copy.statistics.reserved == 4 && copy.statistics.allocated == 0)
        #expect(try restored.pool("staff").maxAddresses == 5 && restored.pool("staff").drain)
        #expect(text.contains("pool address reserve pool_name=default first_addr=10.5.0.10 num_addrs=3"))
    }

    @Test func poolsCannotShareAddressesAndDeleteIsRefusedWhileAllocated() throws {
        var pools = PoolSet()
        try pools.create("a", block: try AddressBlock(first: IPv4("10.0.0.1")!, count: 4))
        #expect(throws: IPPoolError.self) {
            try pools.create("b", block: try AddressBlock(first: IPv4("10.0.0.4")!, count: 4))
        }
        #expect(pools.names == ["a"])
        let address = try pools.allocate(from: "a")
        #expect(#expect(throws: IPPoolError.self) { try pools.delete("a") }?.kind == .inUse)
        try pools.free(address, in: "a")
        try pools.delete("a")
        #expect(#expect(throws: IPPoolError.self) { try pools.allocate(from: "a") }?.kind == .poolNotFound)
    }
}

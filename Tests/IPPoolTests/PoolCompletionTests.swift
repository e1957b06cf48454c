import Testing

@testable import IPPool

@Suite struct PoolCompletionTests {
    @Test func completesKeywordsThenParameterNamesNotYetGiven() {
        #expect(PoolCompletion.completions(of: "") == ["system", "pool", "config"])
        #expect(PoolCompletion.completions(of: "pool a") == ["address", "allocate"])
        #expect(PoolCompletion.completions(of: "pool address re") == ["remove", "reserve"])
        #expect(
            PoolCompletion.completions(of: "pool address add pool_name=x ") == [
                "first_addr=", "num_addrs=", "netmask=",
            ])
        #expect(PoolCompletion.completions(of: "pool free p") == ["pool_name="])
        #expect(PoolCompletion.completions(of: "pool list ").isEmpty)
    }

    @Test func helpListsKeywordsOrTheCommandsParameters() {
        #expect(PoolCompletion.help(for: "pool ").contains("create       create a pool"))
        let help = PoolCompletion.help(for: "pool free ")
        #expect(help.hasPrefix("pool free: give an allocated address back"))
        #expect(help.contains("  addr (required): an allocated address"))
    }
}

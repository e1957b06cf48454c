import Testing
@testable import L2TPDaemon

@Suite struct PluginPreflightTests {
    @Test func bareNameTriesSoLibAndPlainInEachDirectory() {
        #expect(
            PluginPreflight.candidatePaths("ipsec", directories: ["/a", "/b/"]) == [
                "/a/ipsec.so", "/a/libipsec.so", "/a/ipsec", "/b/ipsec.so", "/b/libipsec.so", "/b/ipsec",
            ])
        #expect(PluginPreflight.candidatePaths("ipsec.so", directories: ["/a"]) == ["/a/ipsec.so", "/a/libipsec.so"])
        #expect(PluginPreflight.candidatePaths("./x/y.so", directories: ["/a"]) == ["./x/y.so"])
    }

    @Test func missingPluginIsNamedWithThePathsTried() throws {
        let message = try #require(PluginPreflight.missing(["nosuchplugin:tag=x"], directory: "/nonexistent-dir"))
        #expect(message.contains("plugin 'nosuchplugin:tag=x': not found"))
        #expect(message.contains("/nonexistent-dir/nosuchplugin.so"))
        #expect(message.contains("openl2tpd not started"))
        #expect(PluginPreflight.missing([], directory: "/nonexistent-dir") == nil)
    }
}

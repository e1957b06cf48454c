import Testing

@testable import L2TPConfig

/// etc/openl2tpd.conf, the example shipped with the daemon.
@Suite struct ExampleConfigTests {
    @Test func shippedExampleValidates() throws {
        let text = try TestFiles.repositoryFile("etc/openl2tpd.conf")
        let result = ConfigLoader.load(text: text, file: "etc/openl2tpd.conf")
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.isEmpty)
        // Only profiles and settings are active: starting the daemon with the
        // example creates no tunnel to a documentation address.
        #expect(result.actions.isEmpty)
        let model = result.model
        #expect(model.system.maxSessions == 100)
        #expect(model.profiles.tunnelProfile("default")?.authMode == .challenge)
        #expect(model.profiles.tunnelProfile("default")?.secret == "change this secret")
        let branch = try model.profiles.resolveIncomingTunnel(hostName: nil, address: IPv4Address(203, 0, 113, 40))
        #expect(try model.profiles.resolveSession(in: branch).ppp.remoteIPAddress == IPv4Address(198, 51, 100, 20))
    }

    @Test func commentedClientBlockValidatesWhenUncommented() throws {
        let text = try TestFiles.repositoryFile("etc/openl2tpd.conf")
        var inBlock = false
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "# BEGIN LAC CLIENT" {
                inBlock = true
                continue
            }
            if line == "# END LAC CLIENT" {
                inBlock = false
                continue
            }
            guard inBlock else {
                lines.append(String(line))
                continue
            }
            if line.hasPrefix("# ") {
                lines.append(String(line.dropFirst(2)))
            } else if line == "#" {
                lines.append("")
            } else if line.hasPrefix("## ") {
                lines.append(String(line.dropFirst()))
            } else {
                lines.append(String(line))
            }
        }
        let result = ConfigLoader.load(text: lines.joined(separator: "\n"), file: "client")
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.actions.map(\.path) == [.tunnelCreate, .sessionCreate])
        #expect(result.model.system.denyRemoteTunnelCreates)
    }
}

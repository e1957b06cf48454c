import Testing

@testable import L2TPConfig

@Suite struct ConfigLoaderSecretTests {
    @Test func localTunnelWithoutRequiredSecretIsALoadError() {
        let result = load("tunnel create dest_ipaddr=192.0.2.1 hide_avps=yes\n")
        #expect(
            result.errors.map(\.description) == [
                "test.conf:1:1: hide_avps: hiding AVPs needs a secret (RFC 2661 4.3); set secret"
            ])
        #expect(load("tunnel create dest_ipaddr=192.0.2.1 hide_avps=yes secret=x\n").errors.isEmpty)
    }

    @Test func profileNeedingASecretItLacksIsAWarning() {
        let result = load(
            "tunnel profile create profile_name=lns auth_mode=challenge\ntunnel profile modify profile_name=default mtu=1400\n"
        )
        #expect(result.errors.isEmpty)
        #expect(
            result.warnings.map(\.description) == [
                "test.conf:1:1: warning: tunnel profile 'lns' has auth_mode=challenge but no secret; tunnels from peers using it will be refused"
            ])
    }
}

import L2TPConfig
import Testing

@testable import L2TPDaemon

/// `tunnel profile show` as text (the daemon's own command path) masks the
/// secret; `config save` keeps it, so the saved text restores it.
@Suite struct ProfileShowSecretTests {
    @Test func showMasksTheSecretAndSaveRestoresIt() throws {
        let h = DaemonHarness()
        try h.run("tunnel profile create profile_name=p secret=s3cr3t-value auth_mode=challenge")
        let shown = try h.daemon.execute(CommandParser().parseCommand("tunnel profile show profile_name=p"))
        #expect(shown.contains("  secret: \(SecretMask.text)"), "\(shown)")
        #expect(!shown.contains("s3cr3t-value"))
        let plain = try h.daemon.execute(CommandParser().parseCommand("tunnel profile show profile_name=default"))
        #expect(!plain.contains(SecretMask.text))

        let saved = try h.daemon.execute(CommandParser().parseCommand("config save"))
        #expect(saved.contains("secret=s3cr3t-value"))
        let other = DaemonHarness()
        try other.run(saved)
        #expect(other.daemon.profiles.tunnelProfile("p")?.secret == "s3cr3t-value")
    }
}

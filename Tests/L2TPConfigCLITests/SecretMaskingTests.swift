import Foundation
import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

/// l2tpconfig masks secrets in every show output, text and JSON, whatever
/// the daemon sends (the fake daemon sends them in clear, as openl2tpd did
/// before it masked them); `config save` keeps them, in a private file.
@Suite struct SecretMaskingTests {
    static let record = ManagementRecord(
        kind: "tunnel_profile",
        fields: [
            ManagementField("profile_name", .string("secure")), ManagementField("secret", .string("s3cret")),
            ManagementField("user_password", .string("ernie")), ManagementField("host_name", .string("lac1")),
        ])

    @Test func textAndJSONMaskSecretFieldsTheDaemonSentInClear() throws {
        let show = try CommandParser().parseCommand("tunnel profile show profile_name=secure")
        let text = ReplyText().render(show, .success([Self.record]))
        #expect(text.contains("  secret: \(SecretMask.text)\n"), "\(text)")
        #expect(text.contains("  user_password: \(SecretMask.text)\n"))
        #expect(text.contains("  host_name: lac1\n"))
        let json = JSONOutput.document(command: "tunnel profile show", reply: .success([Self.record]))
        #expect(json.contains("\"secret\":\"\(SecretMask.text)\",\"user_password\":\"\(SecretMask.text)\""), "\(json)")
        for output in [text, json] {
            #expect(!output.contains("s3cret") && !output.contains("ernie"))
        }
        // Unset stays unset; other commands' generic output masks too.
        let unset = ManagementRecord(kind: "peer", fields: [ManagementField("secret", .none)])
        #expect(JSONOutput.document(command: "x", reply: .success([unset])).contains("\"secret\":null"))
        let list = try CommandParser().parseCommand("peer list")
        #expect(!ReplyText().render(list, .success([Self.record])).contains("s3cret"))
    }

    @Test func theAssemblerRefusesToSaveAMaskedSecret() {
        let masked = ManagementRecord(
            kind: "tunnel_profile",
            fields: [
                ManagementField("profile_name", .string("p")), ManagementField("secret", .string(SecretMask.text)),
            ])
        let assembler = ConfigAssembler(connection: UnreachableConnection(), table: .standard)
        #expect(assembler.maskedSecrets(masked, in: "tunnel profile 'p'").count == 1)
        #expect(assembler.maskedSecrets(Self.record, in: "tunnel profile 'secure'").isEmpty)
    }

    @Test func showMasksAndConfigSaveKeepsTheSecretInAPrivateFile() async throws {
        let daemon = try await TestDaemon.start()
        defer { Task { await daemon.stop() } }
        var run = await daemon.run(["tunnel", "profile", "create", "profile_name=secure", "secret=s3cret"])
        #expect(run.status == .success, "\(run.error)")
        for json in [false, true] {
            run = await daemon.run((json ? ["-j"] : []) + ["tunnel", "profile", "show", "profile_name=secure"])
            #expect(run.status == .success)
            #expect(run.out.contains(SecretMask.text) && !run.out.contains("s3cret"), "\(run.out)")
        }
        let saved = daemon.directory + "/saved.conf"
        run = await daemon.run(["config", "save", "file=\(saved)"])
        #expect(run.status == .success, "\(run.error)")
        #expect(try String(contentsOfFile: saved, encoding: .utf8).contains("secret=s3cret"))
        #expect(try FileManager.default.attributesOfItem(atPath: saved)[.posixPermissions] as? Int == 0o600)

        let target = daemon.directory + "/target"
        let link = daemon.directory + "/link.conf"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep\n".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        run = await daemon.run(["config", "save", "file=\(link)"])
        #expect(run.status != .success)
        #expect(run.error.contains("\(link): cannot write: is a symbolic link, not followed"), "\(run.error)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        await daemon.stop()
    }
}

/// A connection the test never calls.
private final class UnreachableConnection: ManagementCalling {
    func call(_ procedure: ManagementProcedure, _ request: ManagementRequest) throws(CLIError) -> ManagementReply {
        Issue.record("unexpected call \(procedure)")
        return .failure(.notSupported, "unexpected")
    }
}

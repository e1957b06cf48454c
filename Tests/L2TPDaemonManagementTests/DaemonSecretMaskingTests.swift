import Foundation
import L2TPConfig
@testable import L2TPManagement
import Testing

@testable import L2TPDaemon

/// Profile show records mask secrets; `config save` keeps them and writes
/// its file privately (docs/management.md, "Secrets").
@Suite struct DaemonSecretMaskingTests {
    static let caller = DaemonManagementHandlerStatusTests.caller

    func call(
        _ handler: DaemonManagementHandler, _ procedure: ManagementProcedure, _ pairs: KeyValuePairs<String, String>
    ) async -> ManagementReply {
        await handler.handle(procedure, ManagementRequest(pairs), caller: Self.caller)
    }

    @Test func profileShowRecordsMaskTheSecret() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        let created = await call(handler, .tunnelProfileCreate, ["profile_name": "p", "secret": "s3cr3t-value"])
        #expect(created.status == .ok, "\(created.message)")
        let shown = await call(handler, .tunnelProfileGet, ["profile_name": "p"])
        #expect(shown.records.first?["secret"] == .string(SecretMask.text))
        #expect(!"\(shown)".contains("s3cr3t-value"))
        // No secret: shown as not set, so its absence stays visible.
        let plain = await call(handler, .tunnelProfileGet, ["profile_name": "default"])
        #expect(plain.records.first?["secret"] == ManagementValue.none)
        await runtime.close()
    }

    @Test func configSaveKeepsTheSecretAndWritesItsFileWithMode0600() async throws {
        let (handler, runtime) = try DaemonManagementHandlerStatusTests.handler()
        _ = await call(handler, .tunnelProfileCreate, ["profile_name": "p", "secret": "s3cr3t-value"])
        let saved = await call(handler, .configSave, [:])
        guard case .string(let text)? = saved.records.first?["text"] else {
            Issue.record("no config text: \(saved)")
            await runtime.close()
            return
        }
        #expect(text.contains("secret=s3cr3t-value"))

        let directory = NSTemporaryDirectory() + "secret-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let file = directory + "/saved.conf"
        #expect(await call(handler, .configSave, ["file": file]).status == .ok)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // A link planted at the path is refused, and what it points to kept.
        let target = directory + "/target"
        let link = directory + "/link.conf"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep\n".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let refused = await call(handler, .configSave, ["file": link])
        #expect(refused.status != .ok)
        #expect(refused.message.contains("symbolic link"), "\(refused.message)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep\n")
        await runtime.close()
    }
}

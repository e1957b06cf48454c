import Testing

@testable import L2TPConfig

/// Which parameters are secrets, how show output masks them, and that
/// `config save` keeps them.
@Suite struct SecretMaskTests {
    @Test func theTunnelSecretAndThePPPPasswordAreTheSecrets() {
        #expect(ParameterName.allCases.filter(\.isSecret) == [.secret, .userPassword])
    }

    @Test func aSetSecretIsMaskedAnUnsetOneStaysUnsetOtherParametersAreShownAsTheyAre() {
        #expect(SecretMask.shown(.string("s3cr3t"), for: .secret) == .string(SecretMask.text))
        #expect(SecretMask.shown(.string("x"), for: .userPassword) == .string(SecretMask.text))
        #expect(SecretMask.shown(.notSet, for: .secret) == .notSet)
        #expect(SecretMask.shown(.string(""), for: .secret) == .string(""))
        #expect(SecretMask.shown(.string("lac1"), for: .hostName) == .string("lac1"))
        #expect(!SecretMask.text.contains("s3cr3t"))
    }

    @Test func configSaveWritesTheSecretsThemselves() throws {
        var model = ConfigModel()
        try model.profiles.create(.tunnel, name: "t", values: [.secret: .string("two words; #1")])
        let text = ConfigSerializer.text(for: model)
        #expect(text.contains("secret=\"two words; #1\""), "\(text)")
        #expect(!text.contains(SecretMask.text))
        let restored = ConfigLoader.load(text: text, file: "saved.conf")
        #expect(restored.errors.isEmpty)
        #expect(restored.model.profiles.tunnelProfile("t")?.secret == "two words; #1")
    }
}

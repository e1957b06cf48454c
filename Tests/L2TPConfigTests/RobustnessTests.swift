import Testing

@testable import L2TPConfig

/// Arbitrary input never crashes the lexer, parser, loader or completion.
@Suite struct RobustnessTests {
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
    }

    static let alphabet: [Character] =
        Array("tunnel create profile ppp peer session system modify show list unset = \\ \" ' # ; \n\t\r x1.2:,|_-0")
        + ["\r\n", "é"]

    @Test func randomTextNeverCrashes() {
        var generator = Generator(state: 42)
        let support = InteractiveSupport()
        for _ in 0..<1500 {
            let length = Int(generator.next() % 60)
            var text = ""
            for _ in 0..<length { text.append(Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))]) }
            let result = ConfigLoader.load(text: text, file: "fuzz")
            for error in result.errors { #expect(!error.message.isEmpty) }
            _ = support.completions(forLine: text, cursor: Int(generator.next() % UInt64(length + 2)))
            _ = support.help(forLine: text).description
        }
    }

    @Test func manyCommandsGluedByContinuationsDoNotExhaustTheStack() {
        let text = String(repeating: "user list \\\n", count: 20_000)
        let output = CommandParser().parse(text)
        #expect(output.commands.count == 20_000)
        #expect(output.warnings.count == 19_999)
    }

    @Test func mutatedValidConfigNeverCrashes() throws {
        let base = Array(try TestFiles.repositoryFile("etc/openl2tpd.conf"))
        var generator = Generator(state: 7)
        for _ in 0..<300 {
            var text = base
            for _ in 0..<3 {
                let index = Int(generator.next() % UInt64(text.count))
                text[index] = Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))]
            }
            let result = ConfigLoader.load(text: String(text), file: "mutated")
            if result.succeeded {
                // Whatever loaded must save and load back to the same model.
                let saved = ConfigSerializer.text(for: result.model)
                #expect(ConfigLoader.load(text: saved, file: "saved").model == result.model)
            }
        }
    }
}

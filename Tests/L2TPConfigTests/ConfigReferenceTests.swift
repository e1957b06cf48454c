import Foundation
import Testing

@testable import L2TPConfig

@Suite struct ConfigReferenceTests {
    static let begin = "<!-- BEGIN GENERATED REFERENCE (ConfigReference.markdown) -->\n"
    static let end = "<!-- END GENERATED REFERENCE -->"

    /// docs/configuration.md carries the generated reference verbatim. To
    /// refresh it: `L2TP_WRITE_REFERENCE=/tmp/ref.md swift test --filter ConfigReferenceTests`
    /// and paste the file between the markers.
    @Test func documentationMatchesTables() throws {
        let generated = ConfigReference.markdown()
        if let path = ProcessInfo.processInfo.environment["L2TP_WRITE_REFERENCE"] {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let doc = try TestFiles.repositoryFile("docs/configuration.md")
        let start = try #require(doc.range(of: Self.begin))
        let stop = try #require(doc.range(of: Self.end))
        let section = String(doc[start.upperBound..<stop.lowerBound])
        #expect(section == generated + "\n", "docs/configuration.md reference is out of date")
    }

    @Test func referenceMentionsEveryParameterOfEveryCommand() {
        let text = ConfigReference.markdown()
        for command in CommandTable.standard.commands {
            #expect(text.contains("#### `\(command.path)`"))
        }
        for name in ParameterName.allCases {
            #expect(text.contains("| `\(name.rawValue)` |"), "\(name)")
        }
    }
}

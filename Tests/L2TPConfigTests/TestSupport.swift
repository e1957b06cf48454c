import Foundation

@testable import L2TPConfig

/// Paths of checked-in fixtures, found from this file's location so tests run
/// from any working directory.
enum TestFiles {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repositoryRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func fixtures(_ folder: String) throws -> [(name: String, text: String)] {
        let directory = testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".conf") }
            .sorted()
        return try names.map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    static func fixture(_ folder: String, _ name: String) throws -> String {
        let url = testsDirectory.appendingPathComponent("Fixtures").appendingPathComponent(folder)
            .appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func repositoryFile(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }
}

/// Parses one command; throws the parse error.
func parse(_ line: String) throws(ConfigError) -> ParsedCommand {
    try CommandParser().parseCommand(line)
}

/// The error of a line that must fail to parse, or nil if it parsed.
func parseError(_ line: String) -> ConfigError? {
    do {
        _ = try CommandParser().parseCommand(line)
        return nil
    } catch {
        return error
    }
}

/// Loads text as a config file named "test.conf".
func load(_ text: String) -> ConfigLoadResult {
    ConfigLoader.load(text: text, file: "test.conf")
}

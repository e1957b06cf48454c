import Foundation
import L2TPManagement
import Testing

/// `config save` files: mode 0600, no symbolic link followed, no other
/// user's file (nor a hard link, a FIFO or a directory) overwritten.
@Suite struct PrivateFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "private-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func aNewFileIsCreatedWithMode0600() throws {
        let path = directory + "/new.conf"
        try PrivateFile.write("secret=x\n", to: path)
        #expect(contents(path) == "secret=x\n")
        #expect(try mode(path) == 0o600)
    }

    @Test func anOwnFileIsReplacedWhollyAndMadePrivate() throws {
        let path = directory + "/old.conf"
        #expect(
            FileManager.default.createFile(atPath: path, contents: Data(String(repeating: "old\n", count: 100).utf8)))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try PrivateFile.write("new\n", to: path)
        #expect(contents(path) == "new\n")
        #expect(try mode(path) == 0o600)
    }

    @Test func aSymbolicLinkIsNotFollowed() throws {
        let target = directory + "/target"
        let link = directory + "/link.conf"
        #expect(FileManager.default.createFile(atPath: target, contents: Data("keep\n".utf8)))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let error = try #require(throws: PrivateFile.WriteError.self) { try PrivateFile.write("secret=x\n", to: link) }
        #expect(error.description == "\(link): cannot write: is a symbolic link, not followed")
        #expect(contents(target) == "keep\n")
        // A dangling link is not followed either: no file appears at its target.
        let dangling = directory + "/dangling.conf"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: directory + "/absent")
        #expect(throws: PrivateFile.WriteError.self) { try PrivateFile.write("x", to: dangling) }
        #expect(!FileManager.default.fileExists(atPath: directory + "/absent"))
    }

    @Test func aHardLinkAFIFOAndADirectoryAreRefused() throws {
        let original = directory + "/original"
        let hard = directory + "/hard.conf"
        #expect(FileManager.default.createFile(atPath: original, contents: Data("keep\n".utf8)))
        #expect(link(original, hard) == 0)
        let error = try #require(throws: PrivateFile.WriteError.self) { try PrivateFile.write("x", to: hard) }
        #expect(error.description == "\(hard): cannot write: has 2 hard links: not overwritten")
        #expect(contents(original) == "keep\n")
        let fifo = directory + "/fifo.conf"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: PrivateFile.WriteError.self) { try PrivateFile.write("x", to: fifo) }
        #expect(throws: PrivateFile.WriteError.self) { try PrivateFile.write("x", to: directory) }
    }

    @Test(.enabled(if: geteuid() == 0, "chown needs root"))
    func anotherUsersFileIsNotOverwritten() throws {
        let path = directory + "/theirs.conf"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("theirs\n".utf8)))
        #expect(chown(path, 65534, 65534) == 0)
        let error = try #require(throws: PrivateFile.WriteError.self) { try PrivateFile.write("x", to: path) }
        #expect(error.reason.hasPrefix("owned by uid 65534"))
        #expect(contents(path) == "theirs\n")
    }
}

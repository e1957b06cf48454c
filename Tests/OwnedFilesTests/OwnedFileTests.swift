import OwnedFiles
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The names a daemon writes to, with something planted at them in a
/// private temporary directory.
@Suite final class OwnedFileTests {
    let scratch = ScratchDirectory("owned-file")
    var directory: String { scratch.path }

    static func contents(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }

    static func write(_ text: String, to path: String, mode: mode_t = 0o644) {
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode)
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
    }

    static func status(_ path: String) -> stat? {
        var status = stat()
        return lstat(path, &status) == 0 ? status : nil
    }

    @Test func aNewFileGetsExactlyTheModeAsked() throws {
        let path = directory + "/out"
        let fd = try OwnedFile.create(path, mode: 0o600)
        #expect(Glibc.write(fd, "x", 1) == 1)
        close(fd)
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o600)
        #expect(Self.contents(path) == "x")
    }

    @Test func anExistingFileOfOursIsEmptiedAndGetsTheMode() throws {
        let path = directory + "/out"
        Self.write("old contents", to: path, mode: 0o666)
        chmod(path, 0o666)
        let fd = try OwnedFile.create(path, mode: 0o600)
        close(fd)
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o600)
        #expect(Self.contents(path) == "")
    }

    @Test func aPlantedSymlinkIsRefusedAndItsTargetLeftAlone() throws {
        let path = directory + "/out"
        let victim = directory + "/victim"
        Self.write("root:x:0:0", to: victim)
        symlink(victim, path)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            let error = error as? OwnedFileError
            return error?.isRefused == true && "\(error!)".contains("\(path): is a symbolic link")
        }
        #expect(Self.contents(victim) == "root:x:0:0")
        #expect(Self.status(victim).map { $0.st_mode & 0o7777 } == 0o644)
        #expect(Self.status(path).map { $0.st_mode & S_IFMT } == S_IFLNK)
    }

    @Test func aDanglingSymlinkCreatesNothingAtItsTarget() throws {
        let path = directory + "/out"
        let target = directory + "/missing"
        symlink(target, path)
        #expect(throws: OwnedFileError.self) { _ = try OwnedFile.create(path, mode: 0o600) }
        #expect(Self.status(target) == nil)
    }

    @Test func aHardLinkToAnotherFileIsRefused() throws {
        let path = directory + "/out"
        let victim = directory + "/victim"
        Self.write("keep", to: victim)
        link(victim, path)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            "\(error)".contains("2 hard links")
        }
        #expect(Self.contents(victim) == "keep")
    }

    @Test func aDirectoryAndAFIFOAreRefusedWithoutBlocking() throws {
        let directoryPath = directory + "/dir"
        mkdir(directoryPath, 0o755)
        #expect {
            _ = try OwnedFile.create(directoryPath, mode: 0o600)
        } throws: { error in
            "\(error)".contains("is a directory")
        }
        let fifo = directory + "/out"
        mkfifo(fifo, 0o600)
        #expect {
            _ = try OwnedFile.create(fifo, mode: 0o600)
        } throws: { error in
            "\(error)".contains("is a FIFO")
        }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the file to another user"))
    func anotherUsersFileIsRefusedAndLeftAlone() throws {
        let path = directory + "/out"
        Self.write("theirs", to: path)
        chown(path, 65534, 65534)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            "\(error)".contains("belongs to uid 65534")
        }
        #expect(Self.contents(path) == "theirs")
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o644)
    }
}

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
        #expect(scratch.contents(at: path) == "x")
    }

    @Test func anExistingFileOfOursIsEmptiedAndGetsTheMode() throws {
        let path = directory + "/out"
        scratch.plantFile(at: path, "old contents", mode: 0o666)
        chmod(path, 0o666)
        let fd = try OwnedFile.create(path, mode: 0o600)
        close(fd)
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o600)
        #expect(scratch.contents(at: path) == "")
    }

    @Test func aPlantedSymlinkIsRefusedAndItsTargetLeftAlone() throws {
        let path = directory + "/out"
        let victim = directory + "/victim"
        scratch.plantFile(at: victim, "root:x:0:0")
        symlink(victim, path)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            let error = error as? OwnedFileError
            return error?.isRefused == true && "\(error!)".contains("\(path): is a symbolic link")
        }
        #expect(scratch.contents(at: victim) == "root:x:0:0")
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
        scratch.plantFile(at: victim, "keep")
        link(victim, path)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            "\(error)".contains("2 hard links")
        }
        #expect(scratch.contents(at: victim) == "keep")
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
        scratch.plantFile(at: path, "theirs")
        chown(path, 65534, 65534)
        #expect {
            _ = try OwnedFile.create(path, mode: 0o600)
        } throws: { error in
            "\(error)".contains("belongs to uid 65534")
        }
        #expect(scratch.contents(at: path) == "theirs")
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o644)
    }
}

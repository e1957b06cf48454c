import L2TPDaemon
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `-P FILE`: the pid file is the daemon's own file, or nothing.
@Suite final class PidFileTests {
    let scratch = ScratchDirectory("pid-file")
    var directory: String { scratch.path }

    static func contents(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }

    @Test func thePidIsWritten0644AndOnlyOurFileIsRemoved() throws {
        let path = directory + "/openl2tpd.pid"
        let file = try PidFile(claiming: path)
        try file.write(pid: 4242)
        #expect(Self.contents(path) == "4242\n")
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_mode & 0o7777 == 0o644)
        file.remove()
        #expect(access(path, F_OK) != 0)

        // Someone else's file put at the name meanwhile is not ours to remove.
        let again = try PidFile.write(path, pid: 4243)
        unlink(path)
        let other = open(path, O_CREAT | O_WRONLY, 0o644)
        close(other)
        again.remove()
        #expect(access(path, F_OK) == 0)
    }

    @Test func aPlantedSymlinkIsRefusedAndItsTargetLeftAlone() throws {
        let path = directory + "/openl2tpd.pid"
        let victim = directory + "/victim"
        let fd = open(victim, O_CREAT | O_WRONLY, 0o600)
        _ = write(fd, "secret", 6)
        close(fd)
        symlink(victim, path)
        #expect {
            _ = try PidFile(claiming: path)
        } throws: { error in
            let error = error as? DaemonError
            return error?.kind == .pidFile
                && error?.message == "pid file \(path): is a symbolic link; refusing to write to it"
        }
        #expect(Self.contents(victim) == "secret")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the file to another user"))
    func anotherUsersFileIsRefused() throws {
        let path = directory + "/openl2tpd.pid"
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        _ = write(fd, "99\n", 3)
        close(fd)
        chown(path, 65534, 65534)
        #expect {
            _ = try PidFile(claiming: path)
        } throws: { error in
            "\(error)".contains("pid file \(path): belongs to uid 65534")
        }
        #expect(Self.contents(path) == "99\n")
    }
}

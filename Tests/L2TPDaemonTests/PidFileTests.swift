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

    @Test func thePidIsWritten0644AndOnlyOurFileIsRemoved() throws {
        let path = directory + "/openl2tpd.pid"
        let file = try PidFile(claiming: path)
        try file.write(pid: 4242)
        #expect(scratch.contents(at: path) == "4242\n")
        var status = stat()
        #expect(lstat(path, &status) == 0 && status.st_mode & 0o7777 == 0o644)
        file.remove()
        #expect(access(path, F_OK) != 0)

        // Someone else's file put at the name meanwhile is not ours to remove.
        let again = try PidFile.write(path, pid: 4243)
        unlink(path)
        scratch.plantFile(at: path, mode: 0o644)
        again.remove()
        #expect(access(path, F_OK) == 0)
    }

    @Test func aPlantedSymlinkIsRefusedAndItsTargetLeftAlone() throws {
        let path = directory + "/openl2tpd.pid"
        let victim = directory + "/victim"
        scratch.plantFile(at: victim, "secret", mode: 0o600)
        symlink(victim, path)
        #expect {
            _ = try PidFile(claiming: path)
        } throws: { error in
            let error = error as? DaemonError
            return error?.kind == .pidFile
                && error?.message == "pid file \(path): is a symbolic link; refusing to write to it"
        }
        #expect(scratch.contents(at: victim) == "secret")
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the file to another user"))
    func anotherUsersFileIsRefused() throws {
        let path = directory + "/openl2tpd.pid"
        scratch.plantFile(at: path, "99\n", mode: 0o644)
        chown(path, 65534, 65534)
        #expect {
            _ = try PidFile(claiming: path)
        } throws: { error in
            "\(error)".contains("pid file \(path): belongs to uid 65534")
        }
        #expect(scratch.contents(at: path) == "99\n")
    }
}

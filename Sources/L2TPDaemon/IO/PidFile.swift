import OwnedFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The pid file of `-P`: claimed once the daemon owns its port (so a failed
/// second instance never overwrites the running one's file), before it
/// detaches (so a refusal is the exit status the operator sees), written
/// with the detached pid, and removed on a clean exit.
///
/// The file is created without following a symlink and an existing one is
/// reused only when it is a regular file of ours (`OwnedFile`): a pid file in
/// a directory others can write to must not let them point it at
/// /etc/passwd. Mode 0644, whatever the umask: tools read it unprivileged.
public final class PidFile {
    public let path: String
    private var descriptor: Int32
    private let device: dev_t
    private let inode: ino_t

    /// Creates (or empties) the file at `path`; nothing is written yet.
    public init(claiming path: String) throws(DaemonError) {
        let fd: Int32
        do {
            fd = try OwnedFile.create(path, mode: 0o644)
        } catch {
            throw .pidFile(path, error.reason)
        }
        guard let identity = OwnedFile.identity(of: fd) else {
            let why = errnoText(errno)
            close(fd)
            throw .pidFile(path, "fstat: \(why)")
        }
        self.path = path
        descriptor = fd
        device = identity.device
        inode = identity.inode
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Claims the file and writes `pid` at once.
    public static func write(_ path: String, pid: Int32 = getpid()) throws(DaemonError) -> PidFile {
        let file = try PidFile(claiming: path)
        try file.write(pid: pid)
        return file
    }

    /// Writes `pid` (after daemon(3): the detached process's). The file stays
    /// open until `remove()`: while we hold its inode, no other file can get
    /// the same inode number and pass for ours.
    public func write(pid: Int32 = getpid()) throws(DaemonError) {
        guard descriptor >= 0 else { throw .pidFile(path, "already removed") }
        let text = Array("\(pid)\n".utf8)
        let written = text.withUnsafeBytes { Glibc.pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == text.count else { throw .pidFile(path, errnoText(errno)) }
    }

    /// Removes the file, if the name still is the file we created.
    public func remove() {
        if descriptor >= 0, OwnedFile.isSameFile(path, device: device, inode: inode) { unlink(path) }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}

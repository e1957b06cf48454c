#if canImport(Glibc)
    import Glibc
#endif

/// Writes a file that may hold secrets (`config save`: tunnel secrets, PPP
/// passwords), for the daemon and l2tpconfig alike.
///
/// - mode 0600, also when the file already existed with a wider mode;
/// - never through a symbolic link (`O_NOFOLLOW`): a link planted at the
///   path (in /tmp, say) cannot send root's write to /etc/shadow;
/// - never over a file of another user, nor over anything but a regular
///   file with one link (a hard link to another file is refused too).
///
/// The checks are made on the opened descriptor (`fstat`), and the file is
/// truncated only after they passed.
public enum PrivateFile {
    public struct WriteError: Error, Hashable, Sendable, CustomStringConvertible {
        public let path: String
        /// Why, in words: "is a symbolic link, not followed".
        public let reason: String

        public var description: String { "\(path): cannot write: \(reason)" }
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        func failure(_ reason: String) -> WriteError { WriteError(path: path, reason: reason) }
        // O_NONBLOCK: a FIFO at the path must not hang the writer (it is
        // refused below as no regular file).
        let descriptor = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            throw failure(code == ELOOP ? "is a symbolic link, not followed" : errnoText(code))
        }
        var closed = false
        defer { if !closed { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errnoText(errno)) }
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { throw failure("not a regular file") }
        guard status.st_uid == geteuid() else {
            throw failure("owned by uid \(status.st_uid), not by this user (uid \(geteuid())): not overwritten")
        }
        guard status.st_nlink <= 1 else { throw failure("has \(status.st_nlink) hard links: not overwritten") }
        guard fchmod(descriptor, 0o600) == 0, ftruncate(descriptor, 0) == 0 else { throw failure(errnoText(errno)) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(errnoText(errno))
            }
            bytes = bytes.dropFirst(written)
        }
        guard fsync(descriptor) == 0 else { throw failure(errnoText(errno)) }
        closed = true
        guard close(descriptor) == 0 else { throw failure(errnoText(errno)) }
    }

    private static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

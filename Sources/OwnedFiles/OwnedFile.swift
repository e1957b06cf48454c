#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Opens a file the daemon writes (pid file, packet capture, lock file)
/// without ever writing through someone else's name for it.
///
/// These paths may be in a directory others can write to (a pid file in
/// /tmp, a capture next to the operator's work), so anything found there
/// may have been planted:
/// - a new file is created with `O_CREAT | O_EXCL | O_NOFOLLOW`, which never
///   follows a symlink and fails if anything appeared at the name meanwhile;
/// - an existing name is `lstat`ed and refused unless it is a regular file
///   owned by us with one link (not a symlink, directory, FIFO or device,
///   not a hard link to a file elsewhere, not another user's file); it is
///   then opened with `O_NOFOLLOW` and checked again on the descriptor
///   (same inode), so the check cannot be raced;
/// - the mode is set on the descriptor (`fchmod`), whatever the umask or the
///   old file's mode: a capture holds challenge/response pairs.
public enum OwnedFile {
    /// Returns a write-only, close-on-exec descriptor on an empty regular
    /// file at `path` with exactly `mode`.
    public static func create(_ path: String, mode: mode_t) throws(OwnedFileError) -> Int32 {
        // A name that vanishes between lstat and open is tried again; a few
        // rounds are plenty unless someone is racing us on purpose.
        for _ in 0..<4 {
            let created = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode)
            if created >= 0 { return try finish(created, path: path, mode: mode) }
            guard errno == EEXIST else { throw .system(path, call: "open", errno: errno) }
            if let reused = try reuseExisting(path, mode: mode) { return reused }
        }
        throw .system(path, call: "open", errno: EAGAIN)
    }

    /// Whether `path` is still the regular file with this device and inode
    /// (not a symlink): to remove only what is ours.
    public static func isSameFile(_ path: String, device: dev_t, inode: ino_t) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && status.st_dev == device
            && status.st_ino == inode
    }

    /// Device and inode of an open descriptor.
    public static func identity(of descriptor: Int32) -> (device: dev_t, inode: ino_t)? {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        return (status.st_dev, status.st_ino)
    }

    /// nil when the name vanished meanwhile (the caller creates it again).
    private static func reuseExisting(_ path: String, mode: mode_t) throws(OwnedFileError) -> Int32? {
        var named = stat()
        guard lstat(path, &named) == 0 else {
            if errno == ENOENT { return nil }
            throw .system(path, call: "lstat", errno: errno)
        }
        try check(named, path: path)
        // O_NONBLOCK: should a FIFO be swapped in after lstat, open must not hang.
        let descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw .refused(path, "is a symbolic link")
            default: throw .system(path, call: "open", errno: errno)
            }
        }
        var opened = stat()
        guard fstat(descriptor, &opened) == 0 else {
            let error = errno
            close(descriptor)
            throw .system(path, call: "fstat", errno: error)
        }
        do throws(OwnedFileError) {
            try check(opened, path: path)
            guard opened.st_dev == named.st_dev, opened.st_ino == named.st_ino else {
                throw .refused(path, "was replaced while it was being opened")
            }
            guard ftruncate(descriptor, 0) == 0 else { throw .system(path, call: "ftruncate", errno: errno) }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            return try finish(descriptor, path: path, mode: mode)
        } catch {
            close(descriptor)
            throw error
        }
    }

    private static func check(_ status: stat, path: String) throws(OwnedFileError) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw .refused(path, "is a symbolic link")
        case S_IFDIR: throw .refused(path, "is a directory")
        case S_IFIFO: throw .refused(path, "is a FIFO, not a regular file")
        case S_IFSOCK: throw .refused(path, "is a socket, not a regular file")
        default: throw .refused(path, "is a device, not a regular file")
        }
        let ours = geteuid()
        guard status.st_uid == ours else {
            throw .refused(path, "belongs to uid \(status.st_uid), not to us (uid \(ours))")
        }
        guard status.st_nlink == 1 else {
            throw .refused(path, "has \(status.st_nlink) hard links (another name for it exists)")
        }
    }

    private static func finish(_ descriptor: Int32, path: String, mode: mode_t) throws(OwnedFileError) -> Int32 {
        guard fchmod(descriptor, mode) == 0 else {
            let error = errno
            close(descriptor)
            throw .system(path, call: "fchmod", errno: error)
        }
        return descriptor
    }
}

/// A file the daemon writes could not be had safely; the message names the
/// path and why.
public struct OwnedFileError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case refused(String)
        case system(call: String, errno: Int32)
    }

    private let code: Code
    public let path: String

    private init(_ code: Code, _ path: String) {
        self.code = code
        self.path = path
    }

    /// Something is at the name that is not ours to overwrite.
    public static func refused(_ path: String, _ why: String) -> Self { .init(.refused(why), path) }
    public static func system(_ path: String, call: String, errno: Int32) -> Self {
        .init(.system(call: call, errno: errno), path)
    }

    /// True when the path was refused (planted or foreign), not a failed call.
    public var isRefused: Bool { if case .refused = code { true } else { false } }

    /// Without the path: callers put it in their own words ("pid file PATH: ...").
    public var reason: String {
        switch code {
        case .refused(let why): "\(why); refusing to write to it"
        case .system(let call, let errno): "\(call): \(String(cString: strerror(errno)))"
        }
    }

    public var description: String { "\(path): \(reason)" }
}

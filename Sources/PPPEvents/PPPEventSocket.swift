#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Binds the Unix datagram socket pppd's openl2tp.so sends to, safely.
///
/// The path is in a world-writable directory (/tmp), so anything found there
/// may have been planted: `lstat` (never following a symlink); a stale socket
/// of ours is removed only when no process answers on it; another user's
/// socket and anything else (symlink, regular file, directory, FIFO) are
/// refused and left alone. `bind` itself
/// fails on any name that appeared in between, so the check cannot be raced
/// into replacing a file. Then the mode is set (default 0600: pppd runs as
/// root, like the daemon).
public enum PPPEventSocket {
    /// Returns a bound, close-on-exec, non-blocking datagram socket.
    public static func bind(path: String, mode: mode_t = 0o600) throws(PPPEventSocketError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { throw .pathTooLong(path) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }

        try removeStaleSocket(path, address)

        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system(path, call: "socket", errno: errno) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let error = errno
            close(descriptor)
            throw error == EADDRINUSE ? .inUse(path) : .system(path, call: "bind", errno: error)
        }
        // chmod follows symlinks, but in a sticky /tmp nobody else can
        // replace the socket we just created.
        guard chmod(path, mode) == 0 else {
            let error = errno
            close(descriptor)
            throw .system(path, call: "chmod", errno: error)
        }
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        return descriptor
    }

    /// Removes the socket file at `path` if it is still the one `descriptor`
    /// bound (same inode): never someone else's file.
    public static func unlinkIfOurs(path: String, boundInode: ino_t, device: dev_t) {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK, status.st_ino == boundInode,
            status.st_dev == device
        else { return }
        unlink(path)
    }

    private static func removeStaleSocket(_ path: String, _ address: sockaddr_un) throws(PPPEventSocketError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw .system(path, call: "lstat", errno: errno)
        }
        switch status.st_mode & S_IFMT {
        case S_IFSOCK: break
        case S_IFLNK: throw .notASocket(path, kind: "symbolic link")
        case S_IFREG: throw .notASocket(path, kind: "regular file")
        case S_IFDIR: throw .notASocket(path, kind: "directory")
        case S_IFIFO: throw .notASocket(path, kind: "FIFO")
        default: throw .notASocket(path, kind: "special file")
        }
        // pppd runs as the daemon's user: another user's socket was planted.
        guard status.st_uid == geteuid() else { throw .notOurs(path, owner: status.st_uid) }
        // A socket of ours: stale (left by a crashed daemon) unless someone answers.
        let probe = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { throw .system(path, call: "socket", errno: errno) }
        defer { close(probe) }
        var target = address
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 { throw .inUse(path) }
        guard unlink(path) == 0 || errno == ENOENT else { throw .system(path, call: "unlink", errno: errno) }
    }
}

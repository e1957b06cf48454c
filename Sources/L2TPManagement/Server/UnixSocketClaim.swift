import OwnedFiles

#if canImport(Glibc)
    import Glibc
#endif

/// Makes a Unix socket path safe to bind, and cleans it up afterwards.
///
/// A lock file (`PATH.lock`, held with `flock` for the server's lifetime)
/// serialises servers, so two daemons starting at once cannot both decide a
/// socket is stale. An existing socket is probed with `connect`: a live server
/// answers and we refuse; a refused connection means its owner died, and the
/// stale file is removed. Anything that is not a socket is left alone.
final class UnixSocketClaim: Sendable {
    let path: String
    private let lockDescriptor: Int32

    private init(path: String, lockDescriptor: Int32) {
        self.path = path
        self.lockDescriptor = lockDescriptor
    }

    static func claim(path: String, serviceName: String) throws -> UnixSocketClaim {
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw RPCServerError.pathTooLong(path)
        }
        try createDirectory(parentOf: path)
        let lockPath = path + ".lock"
        // Never through a symlink planted at PATH.lock (OwnedFile).
        let descriptor: Int32
        do {
            descriptor = try OwnedFile.create(lockPath, mode: 0o600)
        } catch {
            throw RPCServerError.cannotLock(lockPath, reason: error.reason)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RPCServerError.alreadyRunning(serviceName: serviceName, path: path)
        }
        do {
            try removeStaleSocket(at: path, serviceName: serviceName)
        } catch {
            close(descriptor)
            throw error
        }
        return UnixSocketClaim(path: path, lockDescriptor: descriptor)
    }

    /// Restricts the bound socket to its owner (root): connecting needs write
    /// permission on the socket file. SO_PEERCRED is checked as well.
    func restrictPermissions() {
        _ = chmod(path, 0o600)
    }

    /// Removes the socket file and drops the lock. Call once, after the
    /// listening channel has closed.
    func release() {
        _ = unlink(path)
        close(lockDescriptor)
    }

    // MARK: - Helpers

    private static func createDirectory(parentOf path: String) throws {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        guard !components.isEmpty else { return }
        var current = path.hasPrefix("/") ? "" : "."
        if path.hasPrefix("/") { components = components.dropFirst() }
        for component in components where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw RPCServerError.cannotPrepareDirectory(current, errno: errno)
            }
        }
    }

    private static func removeStaleSocket(at path: String, serviceName: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }  // nothing there
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw RPCServerError.pathNotASocket(path) }
        if UnixSocketProbe.isListening(path: path) {
            throw RPCServerError.alreadyRunning(serviceName: serviceName, path: path)
        }
        _ = unlink(path)
    }
}

/// Whether something accepts connections on a Unix stream socket path.
enum UnixSocketProbe {
    static func isListening(path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return connectUnix(descriptor, path: path) == 0
    }

    /// `connect(2)` to a Unix socket path; returns 0 or -1 with errno set.
    static func connectUnix(_ descriptor: Int32, path: String) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            errno = ENAMETOOLONG
            return -1
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// rpcbind keeps one mapping per program and version for the whole host, so
/// tests that register program 300773 (in any test target or process) take
/// this file lock around their use of it: run side by side they would
/// replace and remove each other's mapping.
public final class HostRPCBindLock: @unchecked Sendable {
    public static let path = "/tmp/openl2tp-rpcbind-300773.lock"
    private var fd: Int32

    private init() {
        fd = open(Self.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        if fd >= 0 { _ = flock(fd, LOCK_EX) }
    }

    /// Waits for the lock on a thread of its own, so a waiting test never
    /// holds one of the few cooperative threads the other tests run on.
    public static func acquire() async -> HostRPCBindLock {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: HostRPCBindLock()) }
        }
    }

    /// Closing the file drops the lock.
    public func release() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    deinit { release() }
}

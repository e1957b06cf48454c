#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// pppd (spawned per session) may inherit only its session socket; every
/// other descriptor of the daemon must be close-on-exec (kernel-l2tp.md: a
/// pppd holding a tunnel socket keeps the tunnel alive). Our own sockets are
/// created with SOCK_CLOEXEC, but some descriptors are not ours to create:
/// those inherited from whoever started us, NIO's epoll and wakeup fds,
/// libpcap's file. This sweep marks them all; it runs at start and again
/// once the event loop and the trace file exist.
public enum CloseOnExec {
    /// Sets FD_CLOEXEC on every open descriptor above stderr. Returns how many
    /// descriptors it had to change.
    @discardableResult
    public static func markAllDescriptors() -> Int {
        var changed = 0
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), fd > 2, fd != own { descriptors.append(fd) }
        }
        for fd in descriptors {
            let flags = fcntl(fd, F_GETFD)
            guard flags >= 0, flags & FD_CLOEXEC == 0 else { continue }
            if fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == 0 { changed += 1 }
        }
        return changed
    }
}

/// One socket per tunnel: 65,535 tunnels need that many descriptors. Raise
/// the soft limit to the hard one at start (the operator sets the hard one).
public enum DescriptorLimit {
    @discardableResult
    public static func raiseToHardLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The pid file of `-P`: written once the daemon owns its port (so a failed
/// second instance never overwrites the running one's file) and removed on a
/// clean exit.
public struct PidFile: Sendable {
    public let path: String

    public static func write(_ path: String, pid: Int32 = getpid()) throws(DaemonError) -> PidFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .pidFile(path, errnoText(errno)) }
        defer { close(fd) }
        let text = Array("\(pid)\n".utf8)
        let written = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == text.count else { throw .pidFile(path, errnoText(errno)) }
        return PidFile(path: path)
    }

    public func remove() { unlink(path) }
}

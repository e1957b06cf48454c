#if canImport(Glibc)
    import Glibc
#endif

/// Writes test scripts that are executed right away.
public enum ExecutableScript {
    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates `path` (mode 0755) with `text` through a close-on-exec
    /// descriptor. Tests run in parallel: a process another test forks while
    /// the file is open for writing must not inherit the descriptor, or
    /// executing the script fails with ETXTBSY (Foundation's atomic write does
    /// not open close-on-exec).
    public static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw WriteError(description: "open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw WriteError(description: "write \(path): short write") }
        fchmod(fd, 0o755)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A program started with stdin, stdout or stderr closed (by a supervisor, a
/// CI runner or `cmd <&-`) would hand those numbers to the first sockets it
/// opens, and a log line to "stderr" would then go down a socket. Every
/// program of the project calls `openMissing()` first; the gaps are filled
/// with /dev/null, lowest first, as open(2) picks the lowest free number.
public enum StandardDescriptors {
    public static func openMissing() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            _ = open("/dev/null", O_RDWR)
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Where l2tpconfig writes: stdout for results, stderr for errors. Tests
/// capture both; the program writes to the file descriptors directly.
public final class CLIOutput: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeError: (String) -> Void

    public init(out: @escaping (String) -> Void, error: @escaping (String) -> Void) {
        writeOut = out
        writeError = error
    }

    public func print(_ text: String) {
        if !text.isEmpty { writeOut(text) }
    }

    public func printError(_ text: String) {
        writeError(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// The process's stdout and stderr, unbuffered.
    public static let standard = CLIOutput(
        out: { CLIOutput.write($0, to: STDOUT_FILENO) }, error: { CLIOutput.write($0, to: STDERR_FILENO) })

    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// Captured output, for tests and for `config save` text.
public final class CapturedOutput: @unchecked Sendable {
    public private(set) var out = ""
    public private(set) var error = ""

    public init() {}

    public lazy var output = CLIOutput(
        out: { [unowned self] in self.out += $0 }, error: { [unowned self] in self.error += $0 })

    public func reset() {
        out = ""
        error = ""
    }
}

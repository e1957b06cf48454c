public import Foundation

/// A private directory under /tmp for one test (mode 0700, from mkdtemp),
/// removed with everything in it when the test is done: files are planted
/// and created there without racing other tests or users.
public final class ScratchDirectory: Sendable {
    public let path: String

    public init(_ prefix: String) {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Puts a file holding `text` at `filePath`, as an attacker or an
    /// earlier run would have left it (created with `mode`, or emptied).
    public func plantFile(at filePath: String, _ text: String = "", mode: mode_t = 0o644) {
        let fd = open(filePath, O_CREAT | O_WRONLY | O_TRUNC, mode)
        guard fd >= 0 else { return }
        _ = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }

    /// What the file at `filePath` holds, read without following a
    /// symlink; nil when it cannot be opened.
    public func contents(at filePath: String) -> String? {
        let fd = open(filePath, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        return n < 0 ? nil : String(decoding: buffer[0..<n], as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

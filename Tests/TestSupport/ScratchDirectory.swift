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

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

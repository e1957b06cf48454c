import L2TPDaemon
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `-c FILE` and SIGHUP read the config file with `readTextFile`.
@Suite struct ReadTextFileTests {
    @Test func aDirectoryIsAnErrorNotAnEmptyConfiguration() throws {
        var template = Array("/tmp/read-text-XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { rmdir(directory) }
        guard case .failure(let error) = readTextFile(directory) else {
            Issue.record("a directory was read as an empty configuration")
            return
        }
        #expect(error.isConfiguration)
        #expect(error.message == "\(directory): cannot read: is a directory, not a configuration file")
    }
}

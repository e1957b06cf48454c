import PacketCapture
import Testing
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The capture file: who may read it and what it will not write through.
@Suite final class PcapWriterFileTests {
    let scratch = ScratchDirectory("pcap-writer")
    var directory: String { scratch.path }

    static func bytes(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? Array(buffer[0..<n]) : []
    }

    @Test func theCaptureIsReadableByItsOwnerOnly() throws {
        let path = directory + "/trace.pcap"
        // An old capture someone could read: reused, emptied, made private.
        scratch.plantFile(at: path, "old", mode: 0o644)
        chmod(path, 0o644)
        let writer = try PcapWriter(path: path)
        try writer.write(
            [0xC8, 0x02, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0], from: IPv4Endpoint(address: 0x7F00_0001, port: 1701),
            to: IPv4Endpoint(address: 0x7F00_0001, port: 1702), at: CaptureTimestamp(seconds: 1, microseconds: 0))
        writer.close()
        var status = stat()
        #expect(lstat(path, &status) == 0)
        #expect(status.st_mode & 0o7777 == 0o600)
        let bytes = Self.bytes(path)
        // pcap magic (either byte order), then one record after the 24-byte header.
        #expect(bytes.count > 24)
        #expect(
            Array(bytes.prefix(4)) == [0xD4, 0xC3, 0xB2, 0xA1] || Array(bytes.prefix(4)) == [0xA1, 0xB2, 0xC3, 0xD4])
    }

    @Test func aPlantedSymlinkIsRefusedAndItsTargetLeftAlone() throws {
        let path = directory + "/trace.pcap"
        let victim = directory + "/victim"
        scratch.plantFile(at: victim, "keep", mode: 0o644)
        symlink(victim, path)
        #expect {
            _ = try PcapWriter(path: path)
        } throws: { error in
            "\(error)" == "pcap \(path): is a symbolic link; refusing to write to it"
        }
        #expect(Self.bytes(victim) == Array("keep".utf8))
    }
}

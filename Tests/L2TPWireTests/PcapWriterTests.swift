import Foundation
import PacketCapture
import Testing

@Suite struct PcapWriterTests {
    @Test func writesRawIPv4RecordsWithChecksums() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pcapwriter-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapWriter(path: path)
        let source = try #require(IPv4Endpoint("10.0.0.1", port: 1701))
        let destination = IPv4Endpoint(address: 0x0A00_0002, port: 40000)
        try writer.write([1, 2, 3], from: source, to: destination, at: CaptureTimestamp(seconds: 1, microseconds: 2))
        writer.close()
        #expect(throws: PacketCaptureError.self) {
            try writer.write([1], from: source, to: destination, at: CaptureTimestamp(seconds: 1))
        }

        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // 24-byte global header (little-endian magic, LINKTYPE_RAW = 101), 16-byte record header, 31-byte packet.
        #expect(file.count == 24 + 16 + 28 + 3)
        #expect(Array(file[0..<4]) == [0xD4, 0xC3, 0xB2, 0xA1])
        #expect(file[20] == 101)
        let packet = Array(file[40...])
        #expect(packet[0] == 0x45 && packet[9] == 17)
        #expect(Array(packet[12..<20]) == [10, 0, 0, 1, 10, 0, 0, 2])
        #expect(Array(packet[20..<24]) == [0x06, 0xA5, 0x9C, 0x40])
        #expect(Array(packet[28...]) == [1, 2, 3])
        // A correct IPv4 header sums to 0xFFFF in ones' complement.
        var sum: UInt32 = 0
        for i in stride(from: 0, to: 20, by: 2) { sum += UInt32(packet[i]) << 8 | UInt32(packet[i + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        #expect(sum == 0xFFFF)
    }

    @Test func endpointParsing() {
        #expect(IPv4Endpoint("127.0.0.1", port: 1)?.address == 0x7F00_0001)
        #expect(IPv4Endpoint("1.2.3", port: 1) == nil)
        #expect(IPv4Endpoint("1.2.3.256", port: 1) == nil)
        #expect(IPv4Endpoint("192.168.1.20", port: 1701)?.description == "192.168.1.20:1701")
    }

    @Test func nowIsAfter2020() {
        #expect(CaptureTimestamp.now().seconds > 1_577_836_800)
    }

    @Test func unwritablePathIsAnError() {
        #expect(throws: PacketCaptureError.self) { try PcapWriter(path: "/nonexistent-dir/x.pcap") }
    }
}

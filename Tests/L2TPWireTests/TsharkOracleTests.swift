import Foundation
import NIOCore
import PacketCapture
import Testing

@testable import L2TPWire

/// Second, independent oracle: Wireshark's L2TP dissector must decode what we
/// encode to the same values, without malformed-packet or expert warnings.
@Suite struct TsharkOracleTests {
    static let source = IPv4Endpoint("127.0.0.1", port: 1701)!
    static let destination = IPv4Endpoint("127.0.0.2", port: 1701)!

    /// Writes the oracle messages to a fresh capture and returns its path.
    static func writeCapture() throws -> (path: String, encoded: [ByteBuffer]) {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("l2tpwire-oracle-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pcap").path
        let writer = try PcapWriter(path: path)
        var encoded: [ByteBuffer] = []
        for message in OracleMessages.control {
            encoded.append(
                try message.encoded(secret: OracleMessages.secret, randomVector: OracleMessages.randomVector))
        }
        for message in OracleMessages.data {
            var out = ByteBuffer()
            try message.encode(into: &out)
            encoded.append(out)
        }
        for (index, datagram) in encoded.enumerated() {
            try writer.write(
                bytes(datagram), from: source, to: destination,
                at: CaptureTimestamp(seconds: 1_700_000_000 + Int64(index)))
        }
        writer.close()
        return (path, encoded)
    }

    static func tsharkPath() -> String? {
        for candidate in ["/usr/bin/tshark", "/usr/local/bin/tshark", "/opt/homebrew/bin/tshark"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tsharkPath()!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static let checksumOptions = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"]

    /// Fails (rather than skips) when tshark is missing: CI installs it.
    static func requireTshark() throws {
        guard tsharkPath() != nil else {
            Issue.record("tshark is required for the wire oracle test (Debian package 'tshark'); it was not found")
            throw CancellationError()
        }
    }

    @Test func noMalformedPacketsOrExpertWarnings() throws {
        try Self.requireTshark()
        let (path, encoded) = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let verbose = try Self.run(["-r", path, "-V"] + Self.checksumOptions)
        #expect(!verbose.isEmpty)
        #expect(!verbose.contains("Malformed"), "tshark reported a malformed packet")
        #expect(!verbose.contains("[Expert Info (Warning"), "tshark expert warning")
        #expect(!verbose.contains("[Expert Info (Error"), "tshark expert error")
        #expect(!verbose.contains("Bad AVP length"))

        let summary = try Self.run(
            [
                "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-e", "frame.number",
                "-e", "frame.protocols", "-e", "_ws.expert.severity", "-e", "_ws.malformed",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "_ws.expert.message",
            ] + Self.checksumOptions)
        let rows = summary.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(rows.count == encoded.count)
        for row in rows where row.count == 7 {
            #expect(row[1].contains("udp:l2tp"), "frame \(row[0]) not dissected as L2TP: \(row[1])")
            let severities = row[2].split(separator: "|").compactMap { Int($0) }
            #expect(severities.allSatisfy { $0 < 0x0060_0000 }, "frame \(row[0]) expert severity \(row[2]): \(row[6])")
            #expect(row[3].isEmpty, "frame \(row[0]) malformed")
            #expect(row[4] == "1" && row[5] == "1", "frame \(row[0]) checksum status ip=\(row[4]) udp=\(row[5])")
        }
    }

    @Test func tsharkDecodesTheValuesWeEncoded() throws {
        try Self.requireTshark()
        let (path, _) = try Self.writeCapture()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var expectations = OracleMessages.control.map { TsharkExpectation(control: $0) }
        expectations += OracleMessages.data.map { TsharkExpectation(data: $0) }
        let fields = TsharkExpectation.fields
        let output = try Self.run(
            ["-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"] + fields.flatMap { ["-e", $0] })
        let rows = output.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        try #require(rows.count == expectations.count)
        var compared = 0
        for (frame, (row, expected)) in zip(rows, expectations).enumerated() {
            try #require(row.count == fields.count, "frame \(frame + 1): \(row)")
            for (index, field) in fields.enumerated() {
                let want = expected.values[field] ?? ""
                #expect(
                    row[index] == want,
                    "frame \(frame + 1) field \(field): tshark '\(row[index])', we encoded '\(want)'")
                if !want.isEmpty { compared += 1 }
            }
        }
        #expect(compared > 300, "only \(compared) non-empty field values compared")
    }
}

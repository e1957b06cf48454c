import Foundation
import PPPEvents
import Testing

/// The `pppeventdump` tool the kernel VM tests run next to a real pppd.
@Suite struct PPPEventDumpToolTests {
    static func tool() throws -> URL {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pppeventdump")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/pppeventdump")
    }

    static func run(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try tool()
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, output, errors)
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ppp-dump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func printsOneLinePerDatagramAndCleansUp() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("event.sock").path
        let (process, output, _) = try Self.run(["--path", path, "--count", "3", "--timeout", "10"])
        var waited = 0
        while !FileManager.default.fileExists(atPath: path) && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        let up = PPPEvent.upDown(
            PPPLinkState(tunnelID: 3, sessionID: 4, isUp: true, unit: 0, interfaceName: "ppp0", userName: "dave"))
        let accm = PPPEvent.accm(PPPACCMIndication(tunnelID: 3, sessionID: 4, sendACCM: 0, receiveACCM: 0xa0000))
        for bytes in [try PPPEventEncoder.encode(up), try PPPEventEncoder.encode(accm), [0, 1, 2, 3, 4, 5, 6, 7]] {
            #expect(PPPEventReceiverTests.send(bytes, to: path) == bytes.count)
        }
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(
            text.split(separator: "\n").map(String.init) == [
                "up tunnel=3 session=4 unit=0 ifname=ppp0 user=dave",
                "accm tunnel=3 session=4 send=0x00000000 receive=0x000a0000",
                "error pppd event: signature 0x3020100 at offset 0, expected 0x6b6c7831",
            ])
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed on exit")
    }

    @Test func refusesAPlantedFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("event.sock").path
        try "planted".write(toFile: path, atomically: true, encoding: .utf8)
        let (process, _, errors) = try Self.run(["--path", path, "--timeout", "5"])
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(text.contains("a regular file is in the way"))
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "planted")
    }
}

import Foundation
import L2TPPluginHost
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Drives the built libevent_sock.so through PluginHost and talks to its
/// socket as a client would.
@Suite final class EventSockPluginTests {
    let directory: URL
    let path: String

    init() throws {
        // Short: sun_path holds 108 bytes.
        directory = URL(fileURLWithPath: "/tmp/ol2tp-evt-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("evt").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    static let tunnel = TunnelInfo(
        tunnelID: 5, peerTunnelID: 105, localAddress: "127.0.0.1", localPort: 1701, peerAddress: "127.0.0.2",
        peerPort: 1701, createdByPeer: true)

    static func session(_ id: UInt16, user: String? = nil, interface: String? = nil) -> SessionInfo {
        SessionInfo(
            tunnelID: 5, sessionID: id, peerSessionID: id + 1000, callType: .lnsIncoming, userName: user,
            interfaceName: interface, pppUnit: interface == nil ? nil : 0)
    }

    func load(_ recorder: DaemonRecorder, _ arguments: String = "") throws -> PluginHost {
        let host = recorder.makeHost()
        try host.load(try BuiltPlugin.path("event_sock"), arguments: "path=\(path)" + arguments)
        return host
    }

    /// A tunnel with two sessions: the first goes through its whole life,
    /// the second is finished by the tunnel's deletion.
    static func lifecycle(_ host: PluginHost) {
        _ = host.tunnelCreated(tunnel)
        host.tunnelUp(tunnel)
        host.sessionCreated(session(1))
        host.sessionUp(session(1))
        host.pppUp(session(1, user: "alice", interface: "ppp0"))
        host.pppDown(session(1, user: "alice", interface: "ppp0"))
        host.sessionDown(session(1, user: "alice", interface: "ppp0"))
        host.sessionDeleted(session(1, user: "alice", interface: "ppp0"))
        host.sessionCreated(session(2))
        host.tunnelDeleted(tunnel)
    }

    @Test func binarySubscribersReceiveExactlyTheirEventsInOrder() throws {
        let recorder = DaemonRecorder()
        let host = try load(recorder)
        let all = try EventClient(path: path)
        let upDown = try EventClient(path: path)
        let created = try EventClient(path: path)
        #expect(try all.subscribe(mask: 15) == .init(type: 3, flags: 1, mask: 15))
        #expect(try upDown.subscribe(mask: 4 | 8) == .init(type: 3, flags: 1, mask: 12))
        #expect(try created.subscribe(mask: 1 | 0x100) == .init(type: 3, flags: 1, mask: 1))  // unknown bits dropped
        Self.lifecycle(host)
        let expectedAll: [EventClient.Frame] = [
            .event(1, 5, 1, 105, 1001), .event(4, 5, 1, 105, 1001), .event(8, 5, 1, 105, 1001),
            .event(2, 5, 1, 105, 1001), .event(1, 5, 2, 105, 1002), .event(2, 5, 2, 105, 1002),
        ]
        #expect((0..<6).map { _ in all.frame() } == expectedAll)
        #expect((0..<2).map { _ in upDown.frame() } == [.event(4, 5, 1, 105, 1001), .event(8, 5, 1, 105, 1001)])
        #expect((0..<2).map { _ in created.frame() } == [.event(1, 5, 1, 105, 1001), .event(1, 5, 2, 105, 1002)])
        for client in [all, upDown, created] { #expect(client.frame(timeout: 0.2) == nil) }
        host.unloadAll()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func jsonClientsReceiveOneParsableObjectPerLine() throws {
        let recorder = DaemonRecorder()
        let host = try load(recorder)
        let text = try EventClient(path: path)
        try text.send("json\n")
        #expect(EventClient.json(text.line())?["event"] as? String == "subscribed")
        let flagged = try EventClient(path: path)
        _ = try flagged.subscribe(mask: 0x10, json: true)
        #expect(EventClient.json(flagged.line())?["mask"] as? Int == 0x10)
        let masked = try EventClient(path: path)
        try masked.send("json 6\n")
        #expect(EventClient.json(masked.line())?["mask"] as? Int == 6)

        _ = host.tunnelCreated(Self.tunnel)
        host.sessionCreated(Self.session(1))
        host.sessionUp(Self.session(1))
        host.pppUp(Self.session(1, user: "al\"ice\\", interface: "ppp0"))
        host.sessionDeleted(Self.session(1, user: "al\"ice\\", interface: "ppp0"))

        let objects = (0..<6).compactMap { _ in EventClient.json(text.line()) }
        #expect(
            objects.map { $0["event"] as? String } == [
                "session_created", "session_up", "ppp_up", "ppp_down", "session_down", "session_deleted",
            ])
        let pppUp = objects.count > 2 ? objects[2] : [:]
        #expect(pppUp["tunnel_id"] as? Int == 5)
        #expect(pppUp["session_id"] as? Int == 1)
        #expect(pppUp["peer_tunnel_id"] as? Int == 105)
        #expect(pppUp["peer_session_id"] as? Int == 1001)
        #expect(pppUp["user_name"] as? String == "al\"ice\\")
        #expect(pppUp["interface"] as? String == "ppp0")
        #expect(objects.first?["user_name"] == nil)
        #expect(EventClient.json(flagged.line())?["event"] as? String == "ppp_up")
        #expect(flagged.line(timeout: 0.2) == nil)
        #expect(
            [masked.line(), masked.line()].map { EventClient.json($0)?["event"] as? String } == [
                "session_up", "session_deleted",
            ])
        try text.send("subscribe please\n")
        #expect(EventClient.json(text.line())?["event"] as? String == "error")
        host.unloadAll()
    }

    @Test func controlCharactersAndLongNamesAreEscapedIntact() throws {
        let host = try load(DaemonRecorder())
        let client = try EventClient(path: path)
        try client.send("json 16\n")
        #expect(EventClient.json(client.line())?["mask"] as? Int == 16)
        let name = String(repeating: "\u{1}\"\n", count: 40) + "é"  // 122 bytes, each escaped
        _ = host.tunnelCreated(Self.tunnel)
        host.sessionCreated(Self.session(1))
        host.sessionUp(Self.session(1))
        host.pppUp(Self.session(1, user: name, interface: "ppp7"))
        let event = EventClient.json(client.line())
        #expect(event?["user_name"] as? String == name)
        #expect(event?["interface"] as? String == "ppp7")
        host.unloadAll()
    }

    @Test func theClientBeyondTheLimitIsRefused() throws {
        let recorder = DaemonRecorder()
        let host = try load(recorder, ",clients=2")
        let first = try EventClient(path: path)
        let second = try EventClient(path: path)
        #expect(try first.subscribe(mask: 1)?.type == 3)
        #expect(try second.subscribe(mask: 1)?.type == 3)
        let third = try EventClient(path: path)
        #expect(third.closes(within: 5))
        #expect(recorder.logged("client refused: 2 clients connected already"))
        // Once one leaves, a new client gets the free place.
        first.disconnect()
        Thread.sleep(forTimeInterval: 0.1)
        let fourth = try EventClient(path: path)
        #expect(try fourth.subscribe(mask: 1)?.type == 3)
        host.unloadAll()
    }

    @Test func aPlantedSymlinkOrRegularFileIsRefused() throws {
        let target = directory.appendingPathComponent("victim").path
        try "keep me\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        let recorder = DaemonRecorder()
        let error = #expect(throws: PluginLoadError.self) { try load(recorder) }
        #expect(error?.code == .initFailed)
        #expect(recorder.logged("it is a symbolic link"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: path) == target)

        try FileManager.default.removeItem(atPath: path)
        try "not a socket\n".write(toFile: path, atomically: false, encoding: .utf8)
        let second = DaemonRecorder()
        #expect(throws: PluginLoadError.self) { try load(second) }
        #expect(second.logged("it exists and is not a socket"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a socket\n")
    }

    @Test func aStaleSocketIsReplacedButALiveOneIsNot() throws {
        let recorder = DaemonRecorder()
        let first = try load(recorder, ",mode=0660,group=12345")
        var attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        #expect((attributes[.groupOwnerAccountID] as? Int) == 12345)
        let second = DaemonRecorder()
        #expect(throws: PluginLoadError.self) { try load(second) }
        #expect(second.logged("another process is listening on it"))
        // Simulate a crash: the listener is gone, the file stays.
        let stale = directory.appendingPathComponent("stale").path
        try FileManager.default.moveItem(atPath: path, toPath: stale)
        first.unloadAll()
        try FileManager.default.moveItem(atPath: stale, toPath: path)
        let third = try load(DaemonRecorder())
        attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try EventClient(path: path).subscribe(mask: 1)?.type == 3)
        third.unloadAll()
    }

    @Test func aClientThatNeverReadsDoesNotStallTheDaemon() throws {
        let recorder = DaemonRecorder()
        let host = try load(recorder, ",buffer=4096")
        let sleeper = try EventClient(path: path)
        try sleeper.send("json\n")  // subscribes to everything, then never reads
        let reader = try EventClient(path: path)
        #expect(try reader.subscribe(mask: 1)?.type == 3)
        Thread.sleep(forTimeInterval: 0.1)
        _ = host.tunnelCreated(Self.tunnel)
        var slowest = 0.0
        let start = Date()
        for id in UInt16(1)...2000 {
            let session = Self.session(id, user: "a-rather-long-user-name-\(id)", interface: "ppp\(id)")
            let begin = Date()
            host.sessionCreated(session)
            host.sessionUp(session)
            host.sessionDown(session)
            host.sessionDeleted(session)
            slowest = max(slowest, Date().timeIntervalSince(begin))
        }
        let total = Date().timeIntervalSince(start)
        #expect(total < 10, "8000 hook calls took \(total) s")
        #expect(slowest < 1, "one session's four hooks took \(slowest) s")
        let deadline = Date().addingTimeInterval(5)
        while !recorder.logged("dropped: not reading") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(recorder.logged("dropped: not reading"))
        #expect(sleeper.closes(within: 5))
        // The reading client is still served.
        #expect(reader.frame()?.type == 2)
        host.unloadAll()
    }

    @Test(arguments: [
        "path=relative", "clients=0", "clients=257", "mode=0644", "mode=0666", "buffer=10", "group=no-such-group-x",
        "verbose=1", "path",
    ])
    func badArgumentsRefuseToLoad(arguments: String) throws {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        let error = #expect(throws: PluginLoadError.self) {
            try host.load(try BuiltPlugin.path("event_sock"), arguments: arguments)
        }
        #expect(error?.code == .initFailed)
        #expect(recorder.logMessages.contains { $0.plugin == "event_sock" && $0.level == .error })
    }
}

import Foundation
import L2TPPluginHost
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ipsec plugin (libipsec.so) installs and removes real XFRM policies.
/// Runs in a network namespace of its own, entered by one thread only, so
/// nothing outside the test is touched. Needs root; skipped otherwise.
@Suite struct IPsecPluginTests {
    @Test(.enabled(if: getuid() == 0, "needs root for a private network namespace"))
    func policiesFollowTheTunnelSocket() throws {
        let path = try PluginTestSupport.builtLibrary("ipsec")
        let outcome = try PluginTestSupport.inPrivateNetworkNamespace { () throws -> [String: String] in
            let recorder = DaemonRecorder()
            let host = recorder.makeHost()
            try host.load(path, arguments: "level=required,priority=7")
            let v4 = SocketInfo(
                tunnelID: 3, localAddress: "127.0.0.1", localPort: 40000, peerAddress: "127.0.0.2", peerPort: 1701)
            let v6 = SocketInfo(
                tunnelID: 4, localAddress: "::1", localPort: 40001, peerAddress: "fd00::2", peerPort: 1701)
            var seen: [String: String] = ["links": try PluginTestSupport.run("ip", "-o", "link")]
            host.socketConnected(v4)
            host.socketConnected(v6)
            seen["installed"] = try PluginTestSupport.run("ip", "xfrm", "policy")
            host.socketDisconnected(v4)
            seen["after v4"] = try PluginTestSupport.run("ip", "xfrm", "policy")
            host.unloadAll()  // finishes the v6 socket too
            seen["after unload"] = try PluginTestSupport.run("ip", "xfrm", "policy")
            seen["logs"] = recorder.logMessages.map(\.description).joined(separator: "\n")
            seen["actions"] = "\(recorder.receivedActions)"
            return seen
        }
        // A namespace of our own: only its loopback exists.
        #expect(outcome["links"]?.split(separator: "\n").count == 1)
        let installed = outcome["installed"] ?? ""
        for expected in [
            "src 127.0.0.1/32 dst 127.0.0.2/32 proto udp sport 40000 dport 1701",
            "src 127.0.0.2/32 dst 127.0.0.1/32 proto udp sport 1701 dport 40000",
            "src ::1/128 dst fd00::2/128 proto udp sport 40001 dport 1701",
            "src fd00::2/128 dst ::1/128 proto udp sport 1701 dport 40001",
            "dir out priority 7", "dir in priority 7", "proto esp reqid 0 mode transport",
        ] {
            #expect(installed.contains(expected), "missing \(expected) in:\n\(installed)")
        }
        #expect(installed.components(separatedBy: "dir ").count - 1 == 4)
        #expect(outcome["after v4"]?.contains("127.0.0.1") == false)
        #expect(outcome["after v4"]?.contains("fd00::2") == true)
        #expect(outcome["after unload"] == "")
        #expect(outcome["logs"]?.contains("plugin ipsec: tunnel 3: IPsec policies installed") == true)
        #expect(outcome["actions"] == "[]")
    }

    @Test func badArgumentsAreRefusedWithTheReason() throws {
        let recorder = DaemonRecorder()
        let host = recorder.makeHost()
        let error = #expect(throws: PluginLoadError.self) {
            try host.load(PluginTestSupport.builtLibrary("ipsec"), arguments: "level=maybe")
        }
        #expect(error?.code == .initFailed)
        #expect(recorder.logMessages.contains { $0.plugin == "ipsec" && $0.message.contains("level=maybe") })
    }
}

extension PluginTestSupport {
    struct NamespaceUnavailable: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` on a fresh thread that first moves itself (only itself)
    /// into a new network namespace; the namespace dies with the thread.
    static func inPrivateNetworkNamespace<Value>(_ body: @escaping () throws -> Value) throws -> Value {
        let task = ThreadResultBox(body)
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<NamespaceTask>.fromOpaque(argument!).takeRetainedValue().runInNewNamespace()
                return nil
            }, Unmanaged<NamespaceTask>.passRetained(task).toOpaque())
        guard started == 0 else { throw NamespaceUnavailable(description: "pthread_create: \(started)") }
        pthread_join(thread, nil)
        return try task.result!.get()
    }

    /// Runs a shell command from the calling thread (so in its network
    /// namespace: popen forks that thread) and returns its stdout.
    static func run(_ arguments: String...) throws -> String {
        guard let stream = popen(arguments.joined(separator: " ") + " 2>&1", "r") else {
            throw NamespaceUnavailable(description: "popen failed: \(errno)")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        pclose(stream)
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Work for a thread that leaves the process's network namespace.
private class NamespaceTask: @unchecked Sendable {
    func runInNewNamespace() {
        // unshare(2) is a GNU extension the Glibc module does not export.
        typealias Unshare = @convention(c) (Int32) -> Int32
        let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET, <linux/sched.h>
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare"),
            unsafeBitCast(symbol, to: Unshare.self)(cloneNewNet) == 0
        else {
            fail(PluginTestSupport.NamespaceUnavailable(description: "unshare(CLONE_NEWNET) failed: \(errno)"))
            return
        }
        run()
    }

    func run() {}
    func fail(_ error: any Error) {}
}

/// Carries a body and its result to and from the namespace thread.
private final class ThreadResultBox<Value>: NamespaceTask, @unchecked Sendable {
    var result: Result<Value, any Error>?
    let body: () throws -> Value
    init(_ body: @escaping () throws -> Value) { self.body = body }
    override func run() { result = Result { try body() } }
    override func fail(_ error: any Error) { result = .failure(error) }
}

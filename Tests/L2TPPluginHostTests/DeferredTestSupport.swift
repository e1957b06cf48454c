import Foundation
import L2TPPluginHost
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The deferred_control fixture, compiled to a file of its own (one instance
/// per file), with the controls it exports, found with dlsym.
struct ControlPlugin: @unchecked Sendable {
    static let tunnel: Int32 = 1
    static let session: Int32 = 2
    static let addresses: Int32 = 3

    let path: String
    private let lastRequest: @convention(c) (Int32) -> UInt64
    private let deferStatus: @convention(c) (Int32) -> Int32
    private let askedCount: @convention(c) (Int32) -> Int32
    private let releaseCount: @convention(c) () -> Int32
    private let decideCall: @convention(c) (UInt64, Int32, UInt16) -> Int32
    private let decideIPv4Call: @convention(c) (UInt64, Int32, UInt32, UInt32) -> Int32

    struct Missing: Error {}

    static func compile(in directory: URL, name: String) throws -> String {
        let path = directory.appendingPathComponent("\(name).so")
        try PluginTestSupport.compile(PluginTestSupport.fixture("deferred_control.c"), to: path)
        return path.path
    }

    /// After the host loaded `path`: the same mapping, found again.
    init(loaded path: String) throws {
        guard let library = dlopen(path, RTLD_NOW | RTLD_NOLOAD) else { throw Missing() }
        func symbol<T>(_ name: String, _: T.Type) throws -> T {
            guard let address = dlsym(library, name) else { throw Missing() }
            return unsafeBitCast(address, to: T.self)
        }
        self.path = path
        lastRequest = try symbol("deferred_control_last", (@convention(c) (Int32) -> UInt64).self)
        deferStatus = try symbol("deferred_control_defer_status", (@convention(c) (Int32) -> Int32).self)
        askedCount = try symbol("deferred_control_asked", (@convention(c) (Int32) -> Int32).self)
        releaseCount = try symbol("deferred_control_releases", (@convention(c) () -> Int32).self)
        decideCall = try symbol("deferred_control_decide", (@convention(c) (UInt64, Int32, UInt16) -> Int32).self)
        decideIPv4Call = try symbol(
            "deferred_control_decide_ipv4", (@convention(c) (UInt64, Int32, UInt32, UInt32) -> Int32).self)
    }

    /// The request id of the last `kind` hook (0: the host gave none).
    func last(_ kind: Int32) -> UInt64 { lastRequest(kind) }
    func deferReturned(_ kind: Int32) -> Int32 { deferStatus(kind) }
    func asked(_ kind: Int32) -> Int32 { askedCount(kind) }
    var releases: Int32 { releaseCount() }

    /// `decide` from a thread of the plugin's own.
    func decide(_ request: UInt64, _ verdict: Int32, resultCode: UInt16 = 0) -> Int32 {
        onAnotherThread { decideCall(request, verdict, resultCode) }
    }

    func decideIPv4(_ request: UInt64, _ status: Int32, _ local: UInt32 = 0, _ peer: UInt32 = 0) -> Int32 {
        onAnotherThread { decideIPv4Call(request, status, local, peer) }
    }
}

/// A host with deferred decisions on, its stand-in event loop and what the
/// completion received.
final class DeferredHarness {
    let recorder = DaemonRecorder()
    let loop = TestEventLoop()
    let host: PluginHost
    var outcomes: [PendingOutcome] = []

    init(timeouts: PendingTimeouts = PendingTimeouts()) {
        host = recorder.makeHost()
        host.enableDeferredDecisions(timeouts: timeouts, deliver: loop.deliver) { [unowned self] outcome in
            outcomes.append(outcome)
        }
    }

    /// Runs the loop until `count` outcomes arrived in all.
    @discardableResult
    func waitForOutcomes(_ count: Int) -> Bool { loop.run { outcomes.count >= count } }

    func logged(_ fragment: String) -> Bool {
        recorder.logMessages.contains { $0.message.contains(fragment) }
    }
}

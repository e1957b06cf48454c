import COpenL2TPPlugin
import OpenL2TPPluginKit
import Testing

/// `DeferredAnswers` and `hostHas` against host tables of our own: a 1.2
/// daemon, and an older one whose table ends before the 1.2 calls.
@Suite(.serialized) struct DeferredAnswersTests {
    nonisolated(unsafe) static var decided: [(UInt64, Int32, UInt16, String)] = []
    nonisolated(unsafe) static var addressed: [(UInt64, Int32, UInt32, UInt32)] = []

    static func host(size: Int) -> ol2tp_host_api_t {
        var host = ol2tp_host_api_t()
        host.size = UInt32(size)
        host.reply_defer = { _, request in
            request!.pointee = 42
            return 0
        }
        host.decide = { _, request, verdict, result, _, reason, length in
            let text = String(decoding: UnsafeRawBufferPointer(start: reason, count: Int(length)), as: UTF8.self)
            DeferredAnswersTests.decided.append((request, verdict, result, text))
            return request == 42 ? 0 : -2
        }
        host.decide_ipv4 = { _, request, status, local, peer, _, _ in
            DeferredAnswersTests.addressed.append((request, status, local, peer))
            return 0
        }
        return host
    }

    @Test func aCurrentDaemonGivesARequestIdAndTakesTheAnswers() {
        Self.decided = []
        Self.addressed = []
        var table = Self.host(size: MemoryLayout<ol2tp_host_api_t>.size)
        withUnsafePointer(to: &table) { host in
            let answers = DeferredAnswers(host: host, plugin: nil)
            #expect(answers.deferReply(nil) == 42)
            #expect(answers.decide(42, accept: false, resultCode: 2, reason: "Access-Reject") == 0)
            #expect(answers.decide(7, accept: true) == -2)
            #expect(answers.decideAddresses(42, status: 1, local: 0x0a00_0001, peer: 0x0a00_0002) == 0)
        }
        #expect(Self.decided.map(\.0) == [42, 7])
        #expect(Self.decided.first?.1 == 1 && Self.decided.first?.2 == 2)
        #expect(Self.decided.first?.3 == "Access-Reject")
        #expect(Self.decided.last?.1 == 0)
        #expect(Self.addressed.first.map { [$0.0, UInt64($0.2), UInt64($0.3)] } == [42, 0x0a00_0001, 0x0a00_0002])
    }

    @Test func anOlderDaemonsShorterTableHasNoDeferral() {
        // An ABI 1.1 table ends right after session_get_param.
        let size = MemoryLayout<ol2tp_host_api_t>.offset(of: \.reply_defer)!
        var table = Self.host(size: size)
        withUnsafePointer(to: &table) { host in
            #expect(!PluginContext.host(host, has: \.reply_defer))
            #expect(DeferredAnswers(host: host, plugin: nil).deferReply(nil) == nil)
        }
        var full = Self.host(size: MemoryLayout<ol2tp_host_api_t>.size)
        full.decide_ipv4 = nil
        withUnsafePointer(to: &full) { host in
            #expect(PluginContext.host(host, has: \.reply_defer))
            #expect(!PluginContext.host(host, has: \.decide_ipv4))  // present in size, but not set
        }
    }
}

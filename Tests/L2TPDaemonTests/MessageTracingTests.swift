import L2TPConfig
import L2TPWire
import NIOCore
import Testing
@testable import L2TPDaemon

/// The AVP, AVP_HIDE, AVP_DATA, FUNC and PPP trace flags: each turns its
/// lines on, in the tunnel's scope, and nothing else does.
@Suite struct MessageTracingTests {
    static let secret = "s3cret-value"
    static let peer = IPv4SocketAddress(address: 0x7F00_0001, port: 1701)

    /// A tunnel `t` (id 100, up) with a secret and the given trace flags,
    /// and a second, untraced tunnel `u` (id 101, up).
    func harness(tunnelFlags: String) throws -> DaemonHarness {
        let h = DaemonHarness()
        try h.run(
            """
            tunnel create tunnel_name=t dest_ipaddr=127.0.0.1 secret=\(Self.secret) hide_avps=yes trace_flags=\(tunnelFlags)
            tunnel create tunnel_name=u dest_ipaddr=127.0.0.1 config_id=2 secret=\(Self.secret)
            """)
        h.tunnelUp(100)
        h.tunnelUp(101)
        return h
    }

    /// An ICRQ to `tunnel` with a hidden Calling Number and a clear Assigned Session ID.
    func icrq(to tunnel: UInt16) throws -> ByteBuffer {
        try ControlMessage(
            .icrq, tunnelID: tunnel,
            avps: [.assignedSessionID(0x1234), .callSerialNumber(7), .callingNumber(Array("5551234".utf8))],
            hidden: [.callingNumber]
        ).encoded(secret: Array(Self.secret.utf8), randomVector: Array(repeating: 0xAB, count: 16))
    }

    func lines(_ h: DaemonHarness, _ tag: String) -> [String] { h.log.lines.filter { $0.contains("[\(tag)]") } }

    @Test func avpTracesOneLinePerAVPWithItsValue() throws {
        let h = try harness(tunnelFlags: "AVP")
        h.daemon.receive(try icrq(to: 100), from: Self.peer, onTunnel: 100)
        let avp = lines(h, "AVP")
        #expect(avp.contains { $0.contains("tunnel 100 RX ICRQ AVP Assigned Session ID [M]: 4660") })
        #expect(avp.contains { $0.contains("RX ICRQ AVP Calling Number [MH]: '5551234'") })
        #expect(avp.contains { $0.contains("RX ICRQ AVP Random Vector [M]: 16 octets (not shown)") })
        #expect(avp.contains { $0.contains("RX ICRQ AVP Call Serial Number [M]: 7") })
        // The flag is AVP only: no PROTOCOL line, no hex, and nothing for the untraced tunnel.
        #expect(lines(h, "PROTOCOL").isEmpty && lines(h, "AVP_DATA").isEmpty && lines(h, "AVP_HIDE").isEmpty)
        let before = h.log.lines.count
        h.daemon.receive(try icrq(to: 101), from: Self.peer, onTunnel: 101)
        #expect(h.log.lines.count == before)
    }

    @Test func avpHideDescribesHiddenAVPsButNeverTheSecret() throws {
        let h = try harness(tunnelFlags: "AVP_HIDE")
        h.daemon.receive(try icrq(to: 100), from: Self.peer, onTunnel: 100)
        let hide = lines(h, "AVP_HIDE")
        #expect(hide.count == 1)
        #expect(
            hide.first?.contains(
                "RX ICRQ AVP Calling Number: unhidden with the tunnel secret and a 16-octet Random Vector, 9 octets on the wire"
            ) == true)
        #expect(lines(h, "AVP").isEmpty)
        #expect(!h.log.lines.contains { $0.contains(Self.secret) })
        // A message that cannot be unhidden (wrong secret) says why.
        let wrong = try ControlMessage(
            .icrq, tunnelID: 100, avps: [.assignedSessionID(1), .callingNumber([0x31])],
            hidden: [.assignedSessionID]
        ).encoded(secret: Array("other".utf8), randomVector: [1, 2, 3])
        h.daemon.receive(wrong, from: Self.peer, onTunnel: 100)
        #expect(lines(h, "AVP_HIDE").count == 2)
        #expect(lines(h, "AVP_HIDE").last?.contains("RX message not decoded") == true)
    }

    @Test func avpDataPrintsTheWireValueInHex() throws {
        let h = try harness(tunnelFlags: "AVP_DATA")
        h.daemon.receive(try icrq(to: 100), from: Self.peer, onTunnel: 100)
        let data = lines(h, "AVP_DATA")
        #expect(data.contains { $0.hasSuffix("RX ICRQ AVP Assigned Session ID: 12 34") })
        #expect(data.contains { $0.hasSuffix("RX ICRQ AVP Message Type: 00 0a") })
        #expect(
            data.contains {
                $0.hasSuffix("RX ICRQ AVP Random Vector: " + Array(repeating: "ab", count: 16).joined(separator: " "))
            })
        // The hidden value is shown as its hidden subformat, never as plaintext.
        let hidden = try #require(data.first { $0.contains("Calling Number (hidden subformat)") })
        #expect(!hidden.hasSuffix("35 35 35 31 32 33 34"))
        #expect(lines(h, "AVP").isEmpty)
    }

    @Test func outgoingMessagesAreTracedToo() throws {
        let h = try harness(tunnelFlags: "AVP,AVP_HIDE")
        h.daemon.perform([.send(try icrq(to: 7), to: Self.peer, tunnel: 100)])
        #expect(lines(h, "AVP").contains { $0.contains("TX ICRQ AVP Calling Number [MH]: '5551234'") })
        #expect(
            lines(h, "AVP_HIDE").contains { $0.contains("TX ICRQ AVP Calling Number: hidden with the tunnel secret") })
    }

    @Test func funcTracesHandlerEntries() throws {
        let h = try harness(tunnelFlags: "FUNC")
        #expect(lines(h, "FUNC").contains { $0.contains("tunnel 100 handle tunnelUp (peer tunnel 7)") })
        #expect(!lines(h, "FUNC").contains { $0.contains("tunnel 101 ") })
        h.daemon.receive(try icrq(to: 100), from: Self.peer, onTunnel: 100)
        #expect(lines(h, "FUNC").contains { $0.contains("tunnel 100 receive: ") })
        let off = try harness(tunnelFlags: "NONE")
        off.daemon.receive(try icrq(to: 100), from: Self.peer, onTunnel: 100)
        off.daemon.handleTimers()
        #expect(lines(off, "FUNC").isEmpty)
        try off.run("system modify trace_flags=FUNC")
        off.daemon.handleTimers()
        _ = try off.daemon.execute(CommandParser().parseCommand("system show status"))
        #expect(lines(off, "FUNC").contains { $0.contains("handleTimers") })
        #expect(lines(off, "FUNC").contains { $0.contains("execute") })
    }

    @Test func pppTracesSessionPPPEvents() throws {
        let h = try harness(tunnelFlags: "PPP")
        h.daemon.perform([.event(.sessionUp(tunnelID: 100, sessionID: 5, peerSessionID: 9))])
        h.daemon.perform([.event(.sessionDown(tunnelID: 100, sessionID: 5, reason: "test"))])
        let ppp = lines(h, "PPP")
        #expect(ppp.contains { $0.contains("tunnel 100/5 PPP link ready") })
        #expect(ppp.contains { $0.contains("tunnel 100/5 PPP link closed: session down") })
        h.daemon.perform([.event(.sessionUp(tunnelID: 101, sessionID: 6, peerSessionID: 9))])
        #expect(!lines(h, "PPP").contains { $0.contains("tunnel 101") })
    }
}

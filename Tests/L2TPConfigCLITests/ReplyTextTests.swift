import L2TPConfig
import L2TPManagement
import Testing

@testable import L2TPConfigCLI

/// Golden tests: the shapes of OpenL2TP's quick start, character for character.
@Suite struct ReplyTextTests {
    let text = ReplyText(fields: FieldText(useUTC: true))

    func render(_ line: String, _ records: [ManagementRecord]) throws -> String {
        text.render(try CommandParser().parseCommand(line), .success(records))
    }

    func record(_ kind: String, _ fields: [(String, ManagementValue)]) -> ManagementRecord {
        ManagementRecord(kind: kind, fields: fields.map { ManagementField($0.0, $0.1) })
    }

    @Test func systemShowStatus() throws {
        let system = record(
            "system", [("max_tunnels", .uint(0)), ("num_tunnels", .uint(1)), ("num_sessions", .uint(1))])
        #expect(try render("system show status", [system]) == "L2TP service status:-\n  tunnels: 1, sessions: 1\n")
    }

    @Test func userList() throws {
        let user = record(
            "user",
            [
                ("tunnel_id", .uint(17767)), ("session_id", .uint(9158)), ("user_name", .string("bert")),
                ("create_time", .uint(1_202_132_710)),
            ])
        #expect(
            try render("user list", [user]) == """
                   TunId  SesId  User                                              Create Time
                   17767   9158  bert                                 Mon Feb  4 13:45:10 2008

                """)
    }

    /// What a peer sent reaches the terminal escaped: no line of its own,
    /// no escape sequence (JSON escapes on its own, JSONOutputTests).
    @Test func peerStringsAreEscapedInTextOutput() throws {
        let evil = "bert\n   17767   9999  root\u{1B}[2J\r"
        let user = record(
            "user",
            [
                ("tunnel_id", .uint(17767)), ("session_id", .uint(9158)), ("user_name", .string(evil)),
                ("create_time", .uint(1_202_132_710)),
            ])
        let users = try render("user list", [user])
        #expect(users.split(separator: "\n").count == 2)
        #expect(users.contains(#"bert\n   17767   9999  root\u{1B}[2J\r"#))
        let session = record(
            "session",
            [
                ("session_id", .uint(9158)), ("tunnel_id", .uint(17767)), ("session_type", .string("laic")),
                ("state", .string("ESTABLISHED")), ("user_name", .string(evil)),
            ])
        let shown = try render("session show tunnel_id=17767 session_id=9158", [session])
        #expect(shown.contains(#"  ppp user name: bert\n   17767   9999  root\u{1B}[2J\r"#))
        let tunnel = record(
            "tunnel", [("tunnel_id", .uint(17767)), ("peer_host_name", .string("lac\n  state: DOWN\u{1B}"))])
        let tunnelShown = try render("tunnel show tunnel_id=17767", [tunnel])
        #expect(tunnelShown.contains(#"  peer_host_name: lac\n  state: DOWN\u{1B}"#))
        for text in [users, shown, tunnelShown] {
            #expect(!text.contains("\u{1B}") && !text.contains("\r") && !text.contains("root\u{1B}"))
        }
    }

    @Test func sessionShowBlock() throws {
        let session = record(
            "session",
            [
                ("session_id", .uint(9158)), ("tunnel_id", .uint(17767)), ("session_type", .string("laic")),
                ("state", .string("ESTABLISHED")), ("create_time", .uint(1_202_142_138)),
                ("created_by_admin", .bool(true)),
                ("peer_session_id", .uint(17432)), ("user_name", .string("bert")), ("interface_name", .string("ppp0")),
                ("sequencing_required", .bool(false)), ("use_sequence_numbers", .bool(false)),
                ("trace_flags", .uint(0)),
                ("framing_type", .string("any")), ("bearer_type", .string("any")),
                ("connect_speed", .string("1000000")),
                ("use_ppp_proxy", .bool(false)), ("peer_sequencing_required", .bool(false)),
                ("peer_framing_type", .string("sync")), ("peer_bearer_type", .string("analog")),
                ("peer_connect_speed", .string("54000000")),
                ("rx_packets", .uint(593)), ("rx_bytes", .uint(608676)), ("rx_errors", .uint(1)),
                ("tx_packets", .uint(135)), ("tx_bytes", .uint(40145)), ("tx_errors", .uint(0)),
            ])
        #expect(
            try render("session show tunnel_id=17767 session_id=9158", [session]) == """
                Session 9158 on tunnel 17767:-
                  type: LAC Incoming Call, state: ESTABLISHED
                  created at:  Feb  4 16:22:18 2008
                  created by admin: YES, peer session id: 17432
                  ppp user name: bert
                  ppp interface name: ppp0
                  data sequencing required: OFF
                  use data sequence numbers: OFF
                  trace flags: NONE
                  framing types: SYNC ASYNC
                  bearer types: DIGITAL ANALOG
                  connect speed: 1000000
                  use ppp proxy: NO

                  Peer configuration data:-
                    data sequencing required: OFF
                    framing types: SYNC
                    bearer types: ANALOG
                    connect speed: 54000000
                  data rx packets: 593, rx bytes: 608676, rx errors: 1
                  data tx packets: 135, tx bytes: 40145, tx errors: 0

                """)
    }

    /// The LNS's Set-Link-Info, kept by a LAC session: full-width hex masks.
    @Test func sessionShowPrintsThePeersACCM() throws {
        let session = record(
            "session",
            [
                ("session_id", .uint(9158)), ("tunnel_id", .uint(17767)), ("session_type", .string("laic")),
                ("state", .string("ESTABLISHED")),
                ("peer_send_accm", .uint(0x000A_0000)), ("peer_receive_accm", .uint(0xFFFF_FFFF)),
            ])
        let text = try render("session show tunnel_id=17767 session_id=9158", [session])
        #expect(
            text.contains(
                "  Peer configuration data:-\n    ACCM (Set-Link-Info): send 0x000a0000, receive 0xffffffff\n"))
        // Without a Set-Link-Info there is no ACCM line.
        let plain = record(
            "session", [("session_id", .uint(1)), ("tunnel_id", .uint(2)), ("state", .string("ESTABLISHED"))])
        #expect(!(try render("session show tunnel_id=2 session_id=1", [plain])).contains("ACCM"))
    }

    @Test func tunnelListMarksRemoteTunnels() throws {
        func tunnel(_ id: UInt64, _ peer: UInt32, admin: Bool) -> ManagementRecord {
            record(
                "tunnel",
                [
                    ("tunnel_id", .uint(id)), ("tunnel_name", .string("t\(id)")), ("dest_ipaddr", .ipv4(peer)),
                    ("src_ipaddr", .ipv4(0xC000_0201)), ("peer_tunnel_id", .uint(id + 1)), ("config_id", .uint(1)),
                    ("state", .string("ESTABLISHED")), ("created_by_admin", .bool(admin)),
                ])
        }
        let output = try render(
            "tunnel list", [tunnel(17767, 0xC633_6402, admin: true), tunnel(42, 0x0A00_0001, admin: false)])
        #expect(
            output == """
                   TunId             Peer            Local  PeerTId  ConfigId  State
                   17767     198.51.100.2        192.0.2.1    17768         1  ESTABLISHED
                *     42         10.0.0.1        192.0.2.1       43         1  ESTABLISHED

                """)
        let named = try render("tunnel list names", [tunnel(42, 0x0A00_0001, admin: false)])
        #expect(named.hasPrefix("   TunId             Peer            Local  PeerTId  ConfigId  State         Name\n"))
        #expect(named.hasSuffix("ESTABLISHED   t42\n"))
    }

    @Test func tunnelListWithManagementRPCFieldNames() throws {
        let tunnel = record(
            "tunnel",
            [
                ("tunnel_id", .uint(7)), ("peer_tunnel_id", .uint(8)), ("peer_ipaddr", .ipv4(0x0A00_0001)),
                ("our_ipaddr", .ipv4(0x0A00_0002)), ("config_id", .uint(2)), ("state", .string("WAITCTLREPLY")),
                ("created_by", .string("remote")),
            ])
        let listed = try render("tunnel list", [tunnel])
        #expect(
            listed.hasSuffix("\n*      7         10.0.0.1         10.0.0.2        8         2  WAITCTLREPLY\n"),
            "\(listed)")
        let user = record(
            "user",
            [
                ("user_name", .string("bert")), ("tunnel_id", .uint(1)), ("session_id", .uint(2)),
                ("created", .uint(1_202_132_710)),
            ])
        #expect(try render("user list", [user]).hasSuffix("Mon Feb  4 13:45:10 2008\n"))
    }

    @Test func createConfirmationsAndQuiet() throws {
        let created = [record("tunnel", [("tunnel_id", .uint(17767))])]
        #expect(try render("tunnel create dest_ipaddr=192.0.2.1", created) == "Created tunnel 17767\n")
        var quiet = text
        quiet.quiet = true
        #expect(
            quiet.render(try CommandParser().parseCommand("tunnel create dest_ipaddr=192.0.2.1"), .success(created))
                == "")
        let session = [record("session", [("tunnel_id", .uint(17767)), ("session_id", .uint(9158))])]
        #expect(try render("session create tunnel_id=17767", session) == "Created session 17767/9158\n")
        let queued = [record("session", [("tunnel_id", .uint(17767)), ("session_id", .uint(0))])]
        #expect(
            try render("session create tunnel_id=17767", queued) == "Session queued until tunnel 17767 is up\n")
    }

    @Test func tunnelShowPrintsDatesAndKernelDataCounters() throws {
        let tunnel = record(
            "tunnel",
            [
                ("tunnel_id", .uint(17767)), ("our_ipaddr", .ipv4(0x7F00_0001)), ("peer_ipaddr", .ipv4(0x7F00_0002)),
                ("state", .string("ESTABLISHED")), ("create_time", .uint(1_202_132_710)),
                ("data_rx_packets", .uint(593)), ("data_rx_bytes", .uint(608_676)), ("data_rx_errors", .uint(1)),
                ("data_tx_packets", .uint(135)), ("data_tx_bytes", .uint(40145)), ("data_tx_errors", .uint(0)),
            ])
        #expect(
            try render("tunnel show tunnel_id=17767", [tunnel]) == """
                Tunnel 17767, from 127.0.0.1 to 127.0.0.2:-
                  our_ipaddr: 127.0.0.1
                  peer_ipaddr: 127.0.0.2
                  state: ESTABLISHED
                  create_time: Mon Feb  4 13:45:10 2008
                  data rx packets: 593, rx bytes: 608676, rx errors: 1
                  data tx packets: 135, tx bytes: 40145, tx errors: 0

                """)
    }

    @Test func profileShowAndListAndDebug() throws {
        let profile = record(
            "ppp_profile",
            [
                ("profile_name", .string("peer1")), ("mtu", .uint(1400)),
                ("local_ipaddr", .ipv4(0x0A00_0001)), ("trace_flags", .uint(3)),
            ])
        #expect(
            try render("ppp profile show profile_name=peer1", [profile]) == """
                PPP profile peer1:-
                  mtu: 1400
                  local_ipaddr: 10.0.0.1
                  trace_flags: PROTOCOL,FSM

                """)
        let names = ["default", "peer1"].map { record("ppp_profile", [("profile_name", .string($0))]) }
        #expect(try render("ppp profile list", names) == "  default\n  peer1\n")
        let debug = record("debug", [("tunnel_id", .uint(5)), ("trace_flags", .uint(0))])
        #expect(try render("debug show tunnel_id=5", [debug]) == "tunnel 5 trace flags: NONE\n")
        let session = record("debug", [("tunnel_id", .uint(5)), ("session_id", .uint(7)), ("trace_flags", .uint(1))])
        #expect(
            try render("debug show tunnel_id=5 session_id=7", [session]) == "tunnel 5 session 7 trace flags: PROTOCOL\n"
        )
    }

    @Test func textRecordsArePrintedAsSent() throws {
        let records = [record("text", [("text", .string("L2TP service status:-\n  tunnels: 0, sessions: 0"))])]
        #expect(try render("system show status", records) == "L2TP service status:-\n  tunnels: 0, sessions: 0\n")
    }
}

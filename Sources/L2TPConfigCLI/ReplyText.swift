import L2TPConfig
import L2TPManagement

/// The text l2tpconfig prints for a successful reply, shaped as OpenL2TP's
/// l2tpconfig printed it where users know the shape (quick start), and as
/// `name: value` blocks elsewhere. Field names: docs/l2tpconfig.md.
public struct ReplyText: Sendable {
    public var fields: FieldText
    public var quiet: Bool

    public init(fields: FieldText = FieldText(), quiet: Bool = false) {
        self.fields = fields
        self.quiet = quiet
    }

    public func render(_ command: ParsedCommand, _ reply: ManagementReply) -> String {
        let records = reply.records
        // A daemon may answer with text it formatted itself (kind "text",
        // field "text"); it is printed line by line as sent, each line
        // escaped like every other value.
        if !records.isEmpty, records.allSatisfy({ $0.kind == "text" }) {
            return records.map { record in
                let text = fields.plain(record["text"]).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { VisibleText.escaped($0) }.joined(separator: "\n")
                return text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
            }.joined()
        }
        switch command.path {
        case .systemShow: return systemShow(command, records)
        case .tunnelCreate:
            return confirmation("Created tunnel \(fields.shown(records.first?["tunnel_id"]))", records)
        case .sessionCreate:
            let first = records.first
            let tunnel = fields.shown(first?["tunnel_id"])
            // Session id 0: the daemon queued the session until its tunnel is up.
            if case .uint(0)? = first?["session_id"] {
                return confirmation("Session queued until tunnel \(tunnel) is up", records)
            }
            return confirmation("Created session \(tunnel)/\(fields.shown(first?["session_id"]))", records)
        case .tunnelShow:
            return records.map { record in
                let title =
                    "Tunnel \(fields.shown(record["tunnel_id"])), from \(fields.shown(record.localAddress)) to \(fields.shown(record.peerAddress)):-"
                return block(title, record, skipping: Self.tunnelDataFields.union(["tunnel_id"]))
                    + tunnelDataLines(record)
            }.joined(separator: "\n")
        case .tunnelList: return tunnelList(records, names: command.keywords.contains(.names))
        case .sessionShow: return records.map(SessionShowText(fields: fields).render).joined(separator: "\n")
        case .sessionList: return sessionList(records, names: command.keywords.contains(.names))
        case .profile(let kind, .show):
            return records.map { record in
                let name = fields.shown(record["profile_name"])
                return block("\(kind.title) profile \(name):-", record, skipping: ["profile_name"])
            }.joined(separator: "\n")
        case .profile(_, .list):
            return records.map { "  " + fields.shown($0["profile_name"]) + "\n" }.joined()
        case .peerShow:
            return records.map { record in
                block("Peer \(fields.shown(record["peer_ipaddr"])):-", record, skipping: ["peer_ipaddr"])
            }.joined(separator: "\n")
        case .peerList: return genericTable(records)
        case .userList: return userList(records)
        case .debugShow:
            return records.map { record in
                // Kind `debug` (docs/management-rpc.md) or the object's kind;
                // the ids say which object the flags belong to.
                let target: String
                if let session = record["session_id"] {
                    target = "tunnel \(fields.shown(record["tunnel_id"])) session \(fields.shown(session))"
                } else if let tunnel = record["tunnel_id"] {
                    target = "tunnel \(fields.shown(tunnel))"
                } else {
                    target = "system"
                }
                return "\(target) trace flags: \(fields.shown(record["trace_flags"], field: "trace_flags"))\n"
            }.joined()
        default:
            return quiet || records.isEmpty ? "" : records.map { block("\($0.kind):-", $0, skipping: []) }.joined()
        }
    }

    private func confirmation(_ text: String, _ records: [ManagementRecord]) -> String {
        quiet || records.isEmpty ? "" : text + "\n"
    }

    /// `title` and one `  name: value` line per field; times as dates.
    func block(_ title: String, _ record: ManagementRecord, skipping: Set<String>) -> String {
        var lines = [title]
        for field in record.fields where !skipping.contains(field.name) {
            let text =
                Self.timeFields.contains(field.name)
                ? fields.time(field.value, withWeekday: true) : fields.shown(field.shownValue, field: field.name)
            lines.append("  \(field.name): \(text)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds since the epoch, printed like the quick start's "Mon Feb  4 13:45:10 2008".
    static let timeFields: Set<String> = ["create_time", "created"]

    /// The kernel tunnel's data counters, printed as two lines like `session show`'s.
    static let tunnelDataFields: Set<String> = [
        "data_rx_packets", "data_rx_bytes", "data_rx_errors", "data_tx_packets", "data_tx_bytes", "data_tx_errors",
    ]

    private func tunnelDataLines(_ record: ManagementRecord) -> String {
        guard record["data_rx_packets"] != nil || record["data_tx_packets"] != nil else { return "" }
        func v(_ name: String) -> String {
            let text = fields.shown(record[name])
            return text.isEmpty ? "-" : text
        }
        return
            "  data rx packets: \(v("data_rx_packets")), rx bytes: \(v("data_rx_bytes")), rx errors: \(v("data_rx_errors"))\n"
            + "  data tx packets: \(v("data_tx_packets")), tx bytes: \(v("data_tx_bytes")), tx errors: \(v("data_tx_errors"))\n"
    }

    // MARK: - system show

    private func systemShow(_ command: ParsedCommand, _ records: [ManagementRecord]) -> String {
        if command.keywords.contains(.version) {
            return records.map { block("L2TP service version:-", $0, skipping: []) }.joined()
        }
        if command.keywords.contains(.statistics) { return statistics(records) }
        let system = records.first { $0.kind == "system" } ?? records.first
        guard let system else { return "" }
        let statusFields: Set<String> = ["num_tunnels", "num_sessions"]
        let status =
            "L2TP service status:-\n  tunnels: \(fields.shown(system["num_tunnels"])), sessions: \(fields.shown(system["num_sessions"]))\n"
        if command.keywords.contains(.status) { return status }
        let configuration = block("L2TP configuration:-", system, skipping: statusFields)
        if command.keywords.contains(.configuration) { return configuration }
        return configuration + "\n" + status
    }

    private func statistics(_ records: [ManagementRecord]) -> String {
        var text = ""
        for record in records where record.kind != "message_stats" {
            text += block("L2TP counters:-", record, skipping: [])
        }
        let messages = records.filter { $0.kind == "message_stats" }
        if !messages.isEmpty {
            var table = TextTable([
                .init(title: "Message", width: 8, rightAligned: false, gap: 2),
                .init(title: "RX Good", width: 8, rightAligned: true),
                .init(title: "RX Bad", width: 8, rightAligned: true),
                .init(title: "TX", width: 8, rightAligned: true),
            ])
            for record in messages {
                table.add([
                    fields.shown(record["message"]), fields.shown(record["rx_good"]),
                    fields.shown(record["rx_bad"]), fields.shown(record["tx"]),
                ])
            }
            text += (text.isEmpty ? "" : "\n") + "Per-message statistics:-\n" + table.render()
        }
        return text
    }

    // MARK: - Tables

    /// Columns TunId, Peer, Local, PeerTId, ConfigId, State; `*` marks
    /// tunnels the peer created.
    private func tunnelList(_ records: [ManagementRecord], names: Bool) -> String {
        var columns: [TextTable.Column] = [
            .init(title: "", width: 1, rightAligned: false, gap: 0),
            .init(title: "TunId", width: 6, rightAligned: true),
            .init(title: "Peer", width: 15, rightAligned: true, gap: 2),
            .init(title: "Local", width: 15, rightAligned: true, gap: 2),
            .init(title: "PeerTId", width: 7, rightAligned: true, gap: 2),
            .init(title: "ConfigId", width: 8, rightAligned: true, gap: 2),
            .init(title: "State", width: 12, rightAligned: false, gap: 2),
        ]
        if names { columns.append(.init(title: "Name", width: 4, rightAligned: false, gap: 2)) }
        var table = TextTable(columns)
        for record in records {
            var row = [
                remoteMark(record), fields.shown(record["tunnel_id"]), fields.shown(record.peerAddress),
                fields.shown(record.localAddress), fields.shown(record["peer_tunnel_id"]),
                fields.shown(record["config_id"]), fields.shown(record["state"]),
            ]
            if names { row.append(fields.shown(record["tunnel_name"])) }
            table.add(row)
        }
        return table.render()
    }

    private func sessionList(_ records: [ManagementRecord], names: Bool) -> String {
        var columns: [TextTable.Column] = [
            .init(title: "", width: 1, rightAligned: false, gap: 0),
            .init(title: "TunId", width: 6, rightAligned: true),
            .init(title: "SesId", width: 6, rightAligned: true, gap: 2),
            .init(title: "PeerSId", width: 7, rightAligned: true, gap: 2),
            .init(title: "Type", width: 4, rightAligned: false, gap: 2),
            .init(title: "State", width: 12, rightAligned: false, gap: 2),
        ]
        if names { columns.append(.init(title: "Name", width: 4, rightAligned: false, gap: 2)) }
        var table = TextTable(columns)
        for record in records {
            var row = [
                remoteMark(record), fields.shown(record["tunnel_id"]), fields.shown(record["session_id"]),
                fields.shown(record["peer_session_id"]),
                VisibleText.escaped(fields.plain(record["session_type"]).uppercased()),
                fields.shown(record["state"]),
            ]
            if names { row.append(fields.shown(record["session_name"])) }
            table.add(row)
        }
        return table.render()
    }

    /// `   TunId  SesId  User ... Create Time`, as in the quick start.
    private func userList(_ records: [ManagementRecord]) -> String {
        var table = TextTable([
            .init(title: "TunId", width: 8, rightAligned: true, gap: 0),
            .init(title: "SesId", width: 6, rightAligned: true),
            .init(title: "User", width: 37, rightAligned: false, gap: 2),
            .init(title: "Create Time", width: 24, rightAligned: true, gap: 0),
        ])
        for record in records {
            table.add([
                fields.shown(record["tunnel_id"]), fields.shown(record["session_id"]),
                fields.shown(record["user_name"]), fields.time(record.creationTime, withWeekday: true),
            ])
        }
        return table.render()
    }

    /// Any list without a traditional layout: a column per field of the
    /// first record, titled with the field name.
    private func genericTable(_ records: [ManagementRecord]) -> String {
        guard let first = records.first else { return "" }
        let names = first.fields.map(\.name)
        var table = TextTable(
            names.enumerated().map { index, name in
                .init(title: name, width: name.count, rightAligned: false, gap: index == 0 ? 1 : 2)
            })
        for record in records {
            table.add(names.map { fields.shown(record.shownValue($0), field: $0) })
        }
        return table.render()
    }

    private func remoteMark(_ record: ManagementRecord) -> String {
        record.createdRemotely == true ? "*" : " "
    }
}

extension ProfileKind {
    /// "Tunnel", "Session", "PPP", "Peer".
    var title: String {
        self == .ppp ? "PPP" : rawValue.prefix(1).uppercased() + rawValue.dropFirst()
    }
}

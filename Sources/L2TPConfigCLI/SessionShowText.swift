import L2TPManagement

/// `session show`: the block of OpenL2TP's quick start, line for line.
struct SessionShowText {
    let fields: FieldText

    func render(_ record: ManagementRecord) -> String {
        let f = fields
        func v(_ name: String) -> String {
            let text = f.shown(record[name], field: name)
            return text.isEmpty ? "-" : text
        }
        func has(_ names: String...) -> Bool { names.contains { record[$0] != nil } }
        /// ACCMs are bit masks: full-width hex, as pppd prints them.
        func accm(_ value: ManagementValue?) -> String {
            guard case .uint(let mask)? = value, mask <= UInt64(UInt32.max) else { return "-" }
            let digits = String(mask, radix: 16)
            return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
        }
        let framing = ["SYNC", "ASYNC"]
        let bearer = ["DIGITAL", "ANALOG"]
        var lines = ["Session \(v("session_id")) on tunnel \(v("tunnel_id")):-"]
        lines.append("  type: \(f.sessionType(record["session_type"])), state: \(v("state"))")
        if record.creationTime != nil {
            lines.append("  created at:  \(f.time(record.creationTime, withWeekday: false))")
        }
        if has("created_by_admin", "created_by", "peer_session_id") {
            lines.append(
                "  created by admin: \(f.yesNo(record.createdByAdmin)), peer session id: \(v("peer_session_id"))")
        }
        if has("session_name") { lines.append("  session name: \(v("session_name"))") }
        if has("user_name") { lines.append("  ppp user name: \(v("user_name"))") }
        if has("interface_name") { lines.append("  ppp interface name: \(v("interface_name"))") }
        if has("sequencing_required") {
            lines.append("  data sequencing required: \(f.onOff(record["sequencing_required"]))")
        }
        if has("use_sequence_numbers") {
            lines.append("  use data sequence numbers: \(f.onOff(record["use_sequence_numbers"]))")
        }
        if has("reorder_timeout") { lines.append("  reorder timeout: \(v("reorder_timeout"))") }
        if has("trace_flags") { lines.append("  trace flags: \(v("trace_flags"))") }
        if has("framing_type") {
            lines.append("  framing types: \(f.capabilities(record["framing_type"], all: framing))")
        }
        if has("bearer_type") { lines.append("  bearer types: \(f.capabilities(record["bearer_type"], all: bearer))") }
        if has("connect_speed") { lines.append("  connect speed: \(v("connect_speed"))") }
        if has("use_ppp_proxy") { lines.append("  use ppp proxy: \(f.yesNo(record["use_ppp_proxy"]))") }
        if has(
            "peer_sequencing_required", "peer_framing_type", "peer_bearer_type", "peer_connect_speed",
            "peer_send_accm")
        {
            lines.append("")
            lines.append("  Peer configuration data:-")
            if has("peer_sequencing_required") {
                lines.append("    data sequencing required: \(f.onOff(record["peer_sequencing_required"]))")
            }
            if has("peer_framing_type") {
                lines.append("    framing types: \(f.capabilities(record["peer_framing_type"], all: framing))")
            }
            if has("peer_bearer_type") {
                lines.append("    bearer types: \(f.capabilities(record["peer_bearer_type"], all: bearer))")
            }
            if has("peer_connect_speed") { lines.append("    connect speed: \(v("peer_connect_speed"))") }
            if has("peer_send_accm", "peer_receive_accm") {
                lines.append(
                    "    ACCM (Set-Link-Info): send \(accm(record["peer_send_accm"])), "
                        + "receive \(accm(record["peer_receive_accm"]))")
            }
        }
        if has("rx_packets", "rx_bytes", "rx_errors") {
            lines.append(
                "  data rx packets: \(v("rx_packets")), rx bytes: \(v("rx_bytes")), rx errors: \(v("rx_errors"))")
        }
        if has("tx_packets", "tx_bytes", "tx_errors") {
            lines.append(
                "  data tx packets: \(v("tx_packets")), tx bytes: \(v("tx_bytes")), tx errors: \(v("tx_errors"))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

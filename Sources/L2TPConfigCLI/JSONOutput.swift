import L2TPManagement

/// `-j`/`--json`: one JSON document per command, for automation. Keys are
/// stable: `command`, `status` (0 or the daemon's negative code), `error` on
/// failure, `records` (objects with `kind` then the fields in reply order;
/// numbers as numbers, booleans as booleans, addresses as dotted strings,
/// unset fields as null; secrets masked, see `SecretFields.swift`).
public enum JSONOutput {
    public static func document(command: String, reply: ManagementReply) -> String {
        var members = [("command", string(command)), ("status", String(reply.status.rawValue))]
        if !reply.status.isSuccess {
            members.append(("error", string(reply.message.isEmpty ? reply.status.description : reply.message)))
        }
        members.append(("records", "[" + reply.records.map(object).joined(separator: ",") + "]"))
        return "{" + members.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}\n"
    }

    /// A failure that never reached the daemon (grammar, connection).
    public static func document(command: String, error: CLIError) -> String {
        let status = error.status?.rawValue ?? -Int32(error.exitStatus.rawValue)
        return
            "{\"command\":\(string(command)),\"status\":\(status),\"error\":\(string(error.description)),\"records\":[]}\n"
    }

    /// A document with free-form text (`config save` to stdout).
    public static func document(command: String, text: String) -> String {
        "{\"command\":\(string(command)),\"status\":0,\"text\":\(string(text)),\"records\":[]}\n"
    }

    static func object(_ record: ManagementRecord) -> String {
        var members = ["\"kind\":" + string(record.kind)]
        for field in record.fields {
            members.append(string(field.name) + ":" + value(field.shownValue))
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func value(_ value: ManagementValue) -> String {
        switch value {
        case .none: "null"
        case .string(let text): string(text)
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .ipv4: string(value.displayText)
        }
    }

    /// A JSON string literal (RFC 8259 section 7).
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

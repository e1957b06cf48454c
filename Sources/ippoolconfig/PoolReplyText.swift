import IPPool
import L2TPManagement

/// How each command's reply reads in text mode.
enum PoolReplyText {
    static func render(_ command: PoolCommand, _ reply: ManagementReply, quiet: Bool) -> String? {
        let pool = command["pool_name"] ?? ""
        func confirm(_ text: String) -> String? { quiet ? nil : text }
        switch command.path {
        case .systemShow:
            guard let app = reply.records.first else { return nil }
            return
                "\(text(app["name"])) version \(text(app["version"])), RPC program 300775 version \(text(app["rpc_version"]))"
        case .poolCreate: return confirm("Created pool \(pool)")
        case .poolDelete: return confirm("Deleted pool \(pool)")
        case .poolModify: return confirm("Modified pool \(pool)")
        case .addressAdd: return confirm("Added \(blockText(command)) to pool \(pool)")
        case .addressRemove: return confirm("Removed \(blockText(command)) from pool \(pool)")
        case .addressReserve: return confirm("Reserved \(blockText(command)) in pool \(pool)")
        case .addressUnreserve: return confirm("Unreserved \(blockText(command)) in pool \(pool)")
        case .allocate:
            // The address alone, so `addr=$(ippoolconfig pool allocate ...)` works.
            return text(reply.records.first?["addr"])
        case .free: return confirm("Freed \(command["addr"] ?? "") to pool \(pool)")
        case .configSave: return nil
        case .poolList:
            if reply.records.isEmpty { return "No pools." }
            var lines = [row(["POOL", "TOTAL", "AVAILABLE", "ALLOCATED", "RESERVED", "MAX", "DRAIN"])]
            for record in reply.records {
                lines.append(
                    row(
                        ["pool_name", "total", "available", "allocated", "reserved", "max_addrs", "drain"].map {
                            text(record[$0])
                        }))
            }
            return lines.joined(separator: "\n")
        case .poolShow:
            guard let record = reply.records.first else { return nil }
            return record.fields.map { field in
                let value = field.value.displayText
                return "  \(field.name): \(value.isEmpty ? "none" : value)"
            }.joined(separator: "\n")
        }
    }

    static func blockText(_ command: PoolCommand) -> String {
        let first = command["first_addr"] ?? ""
        if let mask = command["netmask"] { return "\(first)\(mask)" }
        let count = command["num_addrs"] ?? "1"
        return count == "1" ? first : "\(count) addresses from \(first)"
    }

    static func text(_ value: ManagementValue?) -> String { value?.displayText ?? "" }

    static func row(_ cells: [String]) -> String {
        let widths = [16, 7, 10, 10, 9, 6, 5]
        return zip(cells, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// Turns `ip xfrm policy list` output into one comparable line per policy:
///
///     out 10.1.0.1/32:1701 > 10.1.0.2/32:40001 udp priority 1701 esp transport reqid 0
///
/// (Kernel-generated socket policies, if any, are kept: a test should see
/// exactly what is there.)
enum XFRMPolicyListing {
    static func parse(_ text: String) -> [String] {
        var records: [[String]] = []
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !words.isEmpty else { continue }
            if line.first != " " && line.first != "\t" && words.first == "src" {
                records.append(words)
            } else if !records.isEmpty {
                records[records.count - 1] += words
            }
        }
        return records.map(normalize).sorted()
    }

    private static func value(after key: String, in words: [String], from start: Int = 0) -> String? {
        guard start < words.count, let index = words[start...].firstIndex(of: key), index + 1 < words.count else {
            return nil
        }
        return words[index + 1]
    }

    private static func normalize(_ words: [String]) -> String {
        let templateStart = words.firstIndex(of: "tmpl") ?? words.count
        let selector = Array(words[..<templateStart])
        let template = Array(words[templateStart...])
        let direction = value(after: "dir", in: selector) ?? "?"
        let source = value(after: "src", in: selector) ?? "?"
        let destination = value(after: "dst", in: selector) ?? "?"
        let sourcePort = value(after: "sport", in: selector) ?? "*"
        let destinationPort = value(after: "dport", in: selector) ?? "*"
        let proto = value(after: "proto", in: selector) ?? "any"
        let priority = value(after: "priority", in: selector) ?? "?"
        var line =
            "\(direction) \(source):\(sourcePort) > \(destination):\(destinationPort) \(proto) priority \(priority)"
        if !template.isEmpty {
            let templateProto = value(after: "proto", in: template) ?? "?"
            let mode = value(after: "mode", in: template) ?? "?"
            let reqid = value(after: "reqid", in: template) ?? "?"
            line += " \(templateProto) \(mode) reqid \(reqid)"
            if template.contains("level"), let level = value(after: "level", in: template) { line += " level \(level)" }
        }
        return line
    }
}

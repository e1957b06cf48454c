/// A fixed-layout text table as l2tpconfig's list commands print it: a
/// heading row, then one row per object; columns widen for long values.
struct TextTable {
    struct Column {
        var title: String
        var width: Int
        var rightAligned: Bool
        /// Blanks before the column (after the previous one).
        var gap: Int = 1
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// Heading and rows, each line ending in a newline; trailing blanks trimmed.
    func render() -> String {
        var widths = columns.map(\.width)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                let pad = String(repeating: " ", count: max(0, widths[index] - cell.count))
                text += String(repeating: " ", count: column.gap)
                text += column.rightAligned ? pad + cell : cell + pad
            }
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        return line(columns.map(\.title)) + rows.map(line).joined()
    }
}

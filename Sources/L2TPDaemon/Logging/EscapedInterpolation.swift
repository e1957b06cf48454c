import L2TPConfig

extension DefaultStringInterpolation {
    /// A peer-supplied string for a log line: control and format
    /// characters and backslashes shown as escapes (`VisibleText`), so a
    /// Host Name cannot forge a line or drive a terminal.
    mutating func appendInterpolation(escaped value: String) {
        appendLiteral(VisibleText.escaped(value))
    }
}

/// Where a token, command or argument came from, so every diagnostic can say
/// `FILE:LINE:COLUMN`. Lines and columns are 1-based; a column of 0 means
/// "the whole line" and is left out of the description.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }
}

/// Where interactive history lives: `$L2TP_HISTFILE`, default
/// `~/.l2tp_history`, at most `$L2TP_HISTFILESIZE` lines (default 500), as
/// OpenL2TP's l2tpconfig had it.
public struct HistorySettings: Hashable, Sendable {
    public var path: String?
    public var size: Int

    public static let defaultSize = 500

    public init(environment: [String: String]) {
        if let file = environment["L2TP_HISTFILE"] {
            path = file.isEmpty ? nil : file
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.l2tp_history"
        } else {
            path = nil
        }
        if let text = environment["L2TP_HISTFILESIZE"], let number = Int(text), number >= 0 {
            size = number
        } else {
            size = Self.defaultSize
        }
    }
}

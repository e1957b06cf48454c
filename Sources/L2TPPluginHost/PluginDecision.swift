/// The answer of the deciding hooks (tunnel created, tunnel/session
/// authorization): every plugin is asked in load order and the first refusal
/// wins; plugins after it are not asked.
public enum PluginDecision: Hashable, Sendable {
    case accept
    case refuse(PluginRefusal)

    public var isAccepted: Bool { self == .accept }
}

/// Why a tunnel or session was refused, to log and to put in the StopCCN/CDN.
public struct PluginRefusal: Hashable, Sendable {
    /// The refusing plugin's name, or nil when the host itself refused (an
    /// event out of order).
    public var plugin: String?
    public var reason: String
    /// RFC 2661 4.4.2 Result Code / Error Code the plugin asked for; nil lets
    /// the daemon choose.
    public var resultCode: UInt16?
    public var errorCode: UInt16?

    public init(plugin: String?, reason: String, resultCode: UInt16? = nil, errorCode: UInt16? = nil) {
        self.plugin = plugin
        self.reason = reason
        self.resultCode = resultCode
        self.errorCode = errorCode
    }
}

public import COpenL2TPPlugin

/// What `init` is handed, with the conversions every plugin needs: the
/// argument text as a String, and logging through the daemon.
public struct PluginContext: @unchecked Sendable {
    public let host: UnsafePointer<ol2tp_host_api_t>
    public let plugin: OpaquePointer?
    /// `path:ARGS` from `openl2tpd -p`: the ARGS part, "" when there is none.
    public let arguments: String

    /// nil when the daemon passed no host table (it always does; a plugin
    /// answers -EINVAL then).
    public init?(
        host: UnsafePointer<ol2tp_host_api_t>?, plugin: OpaquePointer?, args: UnsafePointer<CChar>?, length: UInt32
    ) {
        guard let host else { return nil }
        self.host = host
        self.plugin = plugin
        // The host passes a length; the text need not be NUL-terminated.
        arguments =
            args.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(length)), as: UTF8.self) } ?? ""
    }

    /// One line in the daemon's log, attributed to this plugin.
    public func log(_ level: Int32, _ message: String) {
        let bytes = Array(message.utf8CString)
        bytes.withUnsafeBufferPointer { host.pointee.log(plugin, level, $0.baseAddress, UInt32($0.count - 1)) }
    }
}

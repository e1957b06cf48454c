import COpenL2TPPlugin

/// A plugin the host has loaded, as the daemon may show it.
public struct LoadedPlugin: Hashable, Sendable {
    public var name: String
    public var version: String
    public var path: String
    public var arguments: String
    public var abiMajor: UInt16
    public var abiMinor: UInt16
}

/// One hook table of one plugin; plugins are called in registration order,
/// which is load order.
struct HookRegistration {
    var pluginName: String
    /// The plugin's `ol2tp_plugin_t *` token: who may answer its deferred requests.
    var contextToken: UInt
    /// The plugin's ABI minor: before 1.2 a return of 2 was a plain refusal.
    var abiMinor: UInt16
    var hooks: ol2tp_hooks_t
    var userData: UnsafeMutableRawPointer?
    var destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
}

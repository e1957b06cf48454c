public import COpenL2TPPlugin

/// The `init` function of a plugin: host API, plugin handle, argument text.
/// A C function pointer, so it captures nothing.
public typealias PluginInitializer =
    @convention(c) (UnsafePointer<ol2tp_host_api_t>?, OpaquePointer?, UnsafePointer<CChar>?, UInt32) -> Int32

/// Builds the descriptor a Swift plugin returns from its entry symbol.
///
/// A plugin keeps the result in a global and returns it from
/// `@_cdecl("openl2tp_plugin_entry_v1")`: the entry symbol has to be defined
/// in the plugin's own module, so it cannot live here.
public enum PluginDescriptor {
    /// Allocated once and never freed: the daemon may keep the pointer for as
    /// long as the plugin is loaded. Static strings live in the binary, so the
    /// name and version pointers stay valid too.
    public static func allocate(name: StaticString, version: StaticString, initialize: PluginInitializer)
        -> UnsafeMutablePointer<ol2tp_plugin_descriptor_t>
    {
        var value = ol2tp_plugin_descriptor_t()
        value.magic = UInt32(OL2TP_PLUGIN_MAGIC)
        value.size = UInt32(MemoryLayout<ol2tp_plugin_descriptor_t>.size)
        value.abi_major = UInt16(OL2TP_PLUGIN_ABI_MAJOR)
        value.abi_minor = UInt16(OL2TP_PLUGIN_ABI_MINOR)
        value.name = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
        value.name_len = UInt32(name.utf8CodeUnitCount)
        value.version = UnsafeRawPointer(version.utf8Start).assumingMemoryBound(to: CChar.self)
        value.version_len = UInt32(version.utf8CodeUnitCount)
        value.`init` = initialize
        let pointer = UnsafeMutablePointer<ol2tp_plugin_descriptor_t>.allocate(capacity: 1)
        pointer.initialize(to: value)
        return pointer
    }
}

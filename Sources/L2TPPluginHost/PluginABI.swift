import COpenL2TPPlugin

/// The constants of openl2tp_plugin.h this host was compiled with.
enum PluginABI {
    static let major = UInt16(OL2TP_PLUGIN_ABI_MAJOR)
    static let minor = UInt16(OL2TP_PLUGIN_ABI_MINOR)
    static let magic = UInt32(OL2TP_PLUGIN_MAGIC)
    static let entrySymbol: String = OL2TP_PLUGIN_ENTRY_SYMBOL
    /// A descriptor must at least hold every ABI 1.0 field, up to `init`.
    static let minimumDescriptorSize = MemoryLayout<ol2tp_plugin_descriptor_t>.size
    /// The most bytes a descriptor's `name_len` or `version_len` may give;
    /// a plugin that declares more is refused (`PluginHost.descriptorText`).
    static let maximumNameLength: UInt32 = 64
}

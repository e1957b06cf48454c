/// openl2tpd's release version, in one place.
///
/// Plugins read it as `daemon_version` in the host table (the default of
/// `PluginHost.init(daemonVersion:)`); `system show version` should answer
/// the same text. The plugin host is the lowest module the daemon and its
/// tools share that can hold it without a package target of its own.
public enum OpenL2TPVersion {
    /// Dotted release number, as `openl2tpd` reports it.
    public static let string = "0.1.0"
}

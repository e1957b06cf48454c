/// What the loaded plugins take over from the daemon, known at load time.
extension PluginHost {
    /// True when a loaded plugin registered a `ppp_spawn` hook (ppp_null,
    /// ppp_unix, a vendor's PPP launcher). The daemon then does not load its
    /// default PPP plugin: the old daemon's "a plugin that claims PPP
    /// inhibits ppp_unix" rule, decided from the registrations instead of a
    /// global flag a plugin sets.
    public var claimsPPPSpawn: Bool {
        registrations.contains { $0.hooks.ppp_spawn != nil }
    }

    /// The plugin that gets every `ppp_spawn` (the first to register the
    /// hook: the first claim wins), nil when none does.
    public var pppSpawnClaimer: String? {
        registrations.first { $0.hooks.ppp_spawn != nil }?.pluginName
    }
}

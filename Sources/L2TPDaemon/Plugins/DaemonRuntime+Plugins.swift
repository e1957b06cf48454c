import L2TPPluginHost

extension DaemonRuntime {
    /// Creates the plugin host on the event loop and loads the `-p` plugins
    /// in order (then `ppp_unix` unless one claims PPP). Plugin actions
    /// (close tunnel/session) may come from plugins' own threads: they hop
    /// to the loop before the daemon carries them out.
    public func loadPlugins(_ arguments: [String], directory: String?) throws(PluginStartupError) {
        let result = try? loop.submit { [self] () -> PluginStartupError? in
            let plugins = DaemonPlugins(pluginDirectory: directory, logger: logger) { [weak self] action in
                guard let self else { return }
                self.loop.execute { self.daemon.handlePluginAction(action) }
            }
            daemon.plugins = plugins
            do throws(PluginStartupError) {
                try plugins.load(arguments)
                return nil
            } catch {
                return error
            }
        }.wait()
        if let failure = result ?? nil { throw failure }
    }
}

import L2TPPluginHost
import PPPEvents

extension DaemonRuntime {
    /// Creates the plugin host on the event loop and loads the `-p` plugins
    /// in order (then `ppp_unix` unless one claims PPP). Plugin actions
    /// (close tunnel/session) may come from plugins' own threads: they hop
    /// to the loop before the daemon carries them out.
    public func loadPlugins(
        _ arguments: [String], directory: String?, defaultPPP: Bool = true,
        maxStartingPPP: Int = 0
    ) throws(PluginStartupError) {
        let result = try? loop.submit { [self] () -> PluginStartupError? in
            let plugins = DaemonPlugins(pluginDirectory: directory, logger: logger) { [weak self] action in
                guard let self else { return }
                self.loop.execute { self.daemon.handlePluginAction(action) }
            }
            daemon.plugins = plugins
            // ABI 1.2: plugins may answer tunnel_authorize, session_authorize
            // and ip_allocate later, from their own threads; the answer hops
            // to the loop and reaches the daemon there.
            let loop = self.loop
            plugins.host.enableDeferredDecisions(
                deliver: { work in loop.execute(work) },
                completion: { [unowned daemon] outcome in daemon.pluginDecided(outcome) })
            do throws(PluginStartupError) {
                try plugins.load(
                    arguments, defaultPPP: defaultPPP,
                    defaultPPPArguments: maxStartingPPP > 0 ? "max_starting=\(maxStartingPPP)" : "")
                return nil
            } catch {
                return error
            }
        }.wait()
        if let failure = result ?? nil { throw failure }
    }

    /// Binds pppd's event socket and hands each indication to the daemon on
    /// the loop; stopped with the runtime. Not fatal when the socket is taken
    /// (another openl2tpd, or a planted file): the daemon runs, PPP state
    /// and ppp_up/ppp_down are then not seen, which the warning says.
    public func startPPPEvents(path: String) {
        do {
            let receiver = try PPPEventReceiver(path: path) { [weak self] result in
                guard let self else { return }
                self.loop.execute { self.daemon.handlePPPEvent(result) }
            }
            receiver.start()
            stopHooks.append { receiver.stop() }
        } catch {
            logger.warning("PPP event socket \(path): \(error); PPP up/down from pppd will not be seen")
        }
    }
}

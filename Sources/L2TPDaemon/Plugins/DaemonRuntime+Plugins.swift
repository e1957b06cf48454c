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
    /// the loop; stopped with the runtime.
    ///
    /// Fails closed when `ppp_unix` starts PPP: pppd's openl2tp.so reports to
    /// this path only, so a daemon that cannot claim it would run pppd whose
    /// up/down it never sees (no `ppp_up`, so every session's establish timer
    /// kills its pppd), or, worse, a local user holding the path would be
    /// told every session's interface and user. A planted file or symlink,
    /// another user's socket, or a live process bound to it then stops
    /// start-up with what to do; a stale socket of ours is replaced
    /// (`PPPEventSocket.bind`). Without ppp_unix (ppp_null, no kernel
    /// datapath) nothing reports there, and a failure is only a warning.
    public func startPPPEvents(path: String) throws(DaemonError) {
        let claimer = try? loop.submit { [self] in daemon.plugins?.host.pppSpawnClaimer }.wait()
        let pppdReports = (claimer ?? nil) == DaemonPlugins.defaultPPPPlugin
        do {
            let receiver = try PPPEventReceiver(path: path) { [weak self] result in
                guard let self else { return }
                self.loop.execute { self.daemon.handlePPPEvent(result) }
            }
            receiver.start()
            stopHooks.append { receiver.stop() }
        } catch {
            guard pppdReports else {
                logger.warning("\(error); PPP up/down from pppd will not be seen")
                return
            }
            throw .resource("\(error): \(Self.pppEventSocketAdvice(error))")
        }
    }

    /// What an operator should do about an event socket that cannot be claimed.
    static func pppEventSocketAdvice(_ error: PPPEventSocketError) -> String {
        let tail =
            "openl2tpd runs pppd (\(DaemonPlugins.defaultPPPPlugin)) and must receive its PPP up/down there, so it does not start"
        if error.isInUse {
            return
                "\(tail); stop the other openl2tpd, or give each daemon its own /tmp (a mount namespace): pppd's openl2tp.so reports to this path only"
        }
        if error.isNotASocket || error.isNotOurs {
            return "\(tail); it is not openl2tpd's (it may have been planted): look at it, remove it, and start again"
        }
        return tail
    }
}

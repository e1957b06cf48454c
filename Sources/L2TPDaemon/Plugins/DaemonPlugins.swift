import L2TPConfig
import L2TPPluginHost
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// openl2tpd's plugins: the `PluginHost` (L2TPPluginHost) plus the little the
/// daemon must remember to report every object's whole life to it.
///
/// Confined to the daemon's event loop, like `Daemon` (the host is not
/// thread-safe by design). Only the log and action handlers given to the
/// host run on other threads; the action handler hops to the loop.
public final class DaemonPlugins {
    /// The plugin loaded when no `-p` plugin claims PPP spawn (the old
    /// daemon's rule: ppp_null, or any other PPP plugin, inhibits it).
    public static let defaultPPPPlugin = "ppp_unix"

    public let host: PluginHost
    let logger: Logger
    /// Tunnels reported created to the host and not yet deleted, so the
    /// deletion reaches plugins even when the daemon kept no record (a
    /// tunnel refused at admission, or one that failed before adoption).
    var tunnelInfos: [UInt16: TunnelInfo] = [:]
    /// Sessions reported created, with their last snapshot (key: tunnel id
    /// << 16 | session id).
    var sessionInfos: [UInt32: SessionInfo] = [:]
    /// Call AVPs of incoming sessions, from their ICRQ/OCRQ.
    var callDetails: [UInt32: PluginCallDetails] = [:]
    /// What pppd said about each session's link (interface, unit, user).
    public internal(set) var pppStates: [UInt32: PluginPPPState] = [:]
    /// Socket addresses as reported connected, by tunnel id.
    var connectedSockets: [UInt16: SocketInfo] = [:]
    /// Where `spawnPPP` claims were answered (the daemon then starts no PPP itself).
    public internal(set) var pppSpawnedBy: [UInt32: String] = [:]

    /// - Parameters:
    ///   - pluginDirectory: `--plugin-dir`; nil means `$OPENL2TP_PLUGIN_DIR`,
    ///     else `/usr/lib/openl2tp`.
    ///   - actions: what plugins ask for (close a tunnel or session), from
    ///     any thread; the daemon hops to its loop there.
    public init(pluginDirectory: String?, logger: Logger, actions: @escaping @Sendable (PluginAction) -> Void) {
        self.logger = logger
        host = PluginHost(
            pluginDirectory: pluginDirectory,
            log: { message in
                // A plugin may log what a peer sent (a user name, a RADIUS reply).
                let text = VisibleText.escaped("\(message)")
                switch message.level {
                case .error: logger.error("\(text)")
                case .warning: logger.warning("\(text)")
                case .notice: logger.notice("\(text)")
                case .info: logger.info("\(text)")
                case .debug: logger.debug("\(text)")
                }
            },
            actions: actions)
    }

    static func key(_ tunnelID: UInt16, _ sessionID: UInt16) -> UInt32 { UInt32(tunnelID) << 16 | UInt32(sessionID) }

    // MARK: - Loading

    /// Loads the `-p` plugins in order, then `ppp_unix` unless one of them
    /// claims PPP spawn. The first plugin that cannot be loaded stops it:
    /// an operator who asked for `-p ipsec` must not get a daemon running
    /// without IPsec policies, so the daemon refuses to start.
    ///   - defaultPPP: load `ppp_unix` when no plugin claims PPP spawn; the
    ///     daemon passes false without a kernel data path (no PPPoL2TP
    ///     socket, so pppd could not run).
    ///   - defaultPPPArguments: its `:ARGUMENTS` (`max_starting=N` from `-y N`).
    public func load(
        _ arguments: [String], defaultPPP: Bool = true,
        defaultPPPArguments: String = ""
    ) throws(PluginStartupError) {
        for argument in arguments {
            let spec = PluginSpec(commandLineArgument: argument)
            let located = locate(spec.nameOrPath)
            do {
                try host.load(located, arguments: spec.arguments)
            } catch {
                throw PluginStartupError(argument: argument, load: error)
            }
        }
        guard !host.claimsPPPSpawn else {
            let claimer = host.plugins.map(\.name).joined(separator: ", ")
            logger.info("PPP is handled by a loaded plugin (\(claimer)): \(Self.defaultPPPPlugin) not loaded")
            return
        }
        guard defaultPPP else {
            logger.notice(
                "no kernel L2TP data path: \(Self.defaultPPPPlugin) not loaded (pppd needs a PPPoL2TP socket); sessions come up without PPP"
            )
            return
        }
        let pppPath = locate(Self.defaultPPPPlugin)
        guard pppPath.contains("/") else {
            logger.warning(
                "no loaded plugin starts PPP and \(Self.defaultPPPPlugin) was not found in \(host.pluginDirectory): sessions come up without PPP"
            )
            return
        }
        do {
            try host.load(pppPath, arguments: defaultPPPArguments)
        } catch {
            throw PluginStartupError(argument: Self.defaultPPPPlugin, load: error)
        }
    }

    /// A bare name is looked up in the plugin directory; failing that, next
    /// to the openl2tpd executable, so a development build finds the plugins
    /// SwiftPM built beside it (`.build/debug/libppp_null.so`). Returns a
    /// path when a file exists, else the name unchanged (the host then
    /// reports the file it tried in the plugin directory).
    func locate(_ nameOrPath: String) -> String {
        let directories = [host.pluginDirectory, Self.executableDirectory()].compactMap { $0 }
        return PluginPreflight.candidatePaths(nameOrPath, directories: directories)
            .first { access($0, R_OK) == 0 } ?? nameOrPath
    }

    static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Finishes every live object (plugins release what they hold, e.g.
    /// IPsec policies) and calls the plugins' destructors. At exit.
    public func unloadAll() {
        host.unloadAll()
        tunnelInfos.removeAll()
        sessionInfos.removeAll()
        connectedSockets.removeAll()
    }
}

/// A `-p` plugin could not be loaded: openl2tpd does not start.
public struct PluginStartupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `-p` argument as given.
    public let argument: String
    public let load: PluginLoadError

    public var description: String {
        "plugin '\(argument)': \(load.message); openl2tpd not started (a plugin given with -p is required)"
    }
}

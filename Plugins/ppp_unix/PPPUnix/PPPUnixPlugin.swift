import COpenL2TPPlugin
import OpenL2TPPluginKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The ppp_unix plugin instance: claims `ppp_spawn`, builds pppd's command
/// line from the session's configuration (`session_get_param`, ABI 1.1) and
/// hands the process to a `PPPDSupervisor`. Hooks read what they need during
/// the call and return at once; the supervisor's thread does the rest and
/// acts back through `session_close` (allowed from any thread).
final class PPPUnixPlugin: PluginInstance, @unchecked Sendable {
    let host: UnsafePointer<ol2tp_host_api_t>
    let plugin: OpaquePointer?
    let options: PPPUnixOptions
    let supervisor: PPPDSupervisor

    init(host: UnsafePointer<ol2tp_host_api_t>, plugin: OpaquePointer?, options: PPPUnixOptions) {
        self.host = host
        self.plugin = plugin
        self.options = options
        // The host table and plugin handle live as long as the process.
        let hostAddress = UInt(bitPattern: host)
        let pluginAddress = UInt(bitPattern: plugin)
        var configuration = PPPDSupervisor.Configuration(
            pppdPath: options.pppdPath, maxStarting: options.maxStarting, killGrace: options.killGrace,
            shutdownGrace: options.shutdownGrace)
        configuration.stopNice = options.stopNice
        supervisor = PPPDSupervisor(
            configuration: configuration,
            closeSession: { key, reason in
                let host = UnsafePointer<ol2tp_host_api_t>(bitPattern: hostAddress)!
                var bytes = Array(reason.utf8)
                bytes.withUnsafeMutableBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) {
                        _ = host.pointee.session_close(
                            OpaquePointer(bitPattern: pluginAddress), UInt32(key.tunnelID), UInt32(key.sessionID),
                            $0.baseAddress, UInt32($0.count))
                    }
                }
            },
            log: { level, message in
                PPPUnixPlugin.log(hostAddress, pluginAddress, level, message)
            })
    }

    static func log(_ hostAddress: UInt, _ pluginAddress: UInt, _ level: Int32, _ message: String) {
        let host = UnsafePointer<ol2tp_host_api_t>(bitPattern: hostAddress)!
        var bytes = Array(message.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                host.pointee.log(OpaquePointer(bitPattern: pluginAddress), level, $0.baseAddress, UInt32($0.count))
            }
        }
    }

    func log(_ level: Int32, _ message: String) {
        Self.log(UInt(bitPattern: host), UInt(bitPattern: plugin), level, message)
    }

    // MARK: - Reading the session

    var hasParameterAccessor: Bool {
        let end = MemoryLayout<ol2tp_host_api_t>.offset(of: \.session_get_param)! + MemoryLayout<UnsafeRawPointer>.size
        return Int(host.pointee.size) >= end && host.pointee.session_get_param != nil
    }

    func number(_ session: OpaquePointer?, _ field: Int32) -> UInt32? {
        var value: UInt32 = 0
        return host.pointee.session_get_u32(session, UInt32(field), &value) == 0 ? value : nil
    }

    /// One `session_get_param` value, nil when unset (or ABI < 1.1).
    func parameter(_ session: OpaquePointer?, _ name: String) -> String? {
        guard hasParameterAccessor, let accessor = host.pointee.session_get_param else { return nil }
        var value: UnsafePointer<CChar>?
        var length: UInt32 = 0
        let status = name.withCString { accessor(session, $0, UInt32(name.utf8.count), &value, &length) }
        guard status == 0, let value else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: value, count: Int(length)), as: UTF8.self)
    }

    func parameters(_ session: OpaquePointer?) -> [String: String] {
        guard hasParameterAccessor, let accessor = host.pointee.session_get_param else { return [:] }
        var result: [String: String] = [:]
        for name in PPPDArguments.parameterNames + ["session_establish_timeout"] {
            var value: UnsafePointer<CChar>?
            var length: UInt32 = 0
            let status = name.withCString { accessor(session, $0, UInt32(name.utf8.count), &value, &length) }
            guard status == 0, let value else { continue }
            result[name] = String(
                decoding: UnsafeRawBufferPointer(start: value, count: Int(length)), as: UTF8.self)
        }
        return result
    }

    // MARK: - Hooks

    func spawn(_ session: OpaquePointer?, _ socket: Int32) -> Int32 {
        guard let tunnelID = number(session, OL2TP_SESSION_TUNNEL_ID).flatMap(UInt16.init(exactly:)),
            let sessionID = number(session, OL2TP_SESSION_ID).flatMap(UInt16.init(exactly:))
        else { return -EINVAL }
        // Without a kernel L2TP datapath the daemon has no PPPoL2TP socket to
        // give (fd -1): pppd could only fail, so start nothing and say why.
        guard socket >= 0 else {
            log(
                Int32(OL2TP_LOG_WARNING),
                "\(PPPDSupervisor.SessionKey(tunnelID: tunnelID, sessionID: sessionID)): "
                    + "no PPPoL2TP socket (no kernel L2TP datapath): pppd not started")
            return -EBADF
        }
        let callType = number(session, OL2TP_SESSION_CALL_TYPE) ?? 0
        let isLNS = callType == UInt32(OL2TP_CALL_LNS_INCOMING) || callType == UInt32(OL2TP_CALL_LNS_OUTGOING)
        let values = parameters(session)
        let built = PPPDArguments(
            session: .init(tunnelID: tunnelID, sessionID: sessionID, isLNS: isLNS), parameters: values)
        let key = PPPDSupervisor.SessionKey(tunnelID: tunnelID, sessionID: sessionID)
        for problem in built.problems { log(Int32(OL2TP_LOG_WARNING), "\(key): \(problem): ignored") }
        var timeout = options.establishTimeout
        if timeout == nil, let seconds = values["session_establish_timeout"].flatMap({ Int($0) }), seconds > 0 {
            timeout = .seconds(seconds)
        }
        let status = supervisor.start(
            key, arguments: built.arguments, sessionSocket: socket, establishTimeout: timeout)
        return status == 0 ? Int32(OL2TP_CLAIMED) : status
    }

    func key(_ session: OpaquePointer?) -> PPPDSupervisor.SessionKey? {
        guard let tunnelID = number(session, OL2TP_SESSION_TUNNEL_ID).flatMap(UInt16.init(exactly:)),
            let sessionID = number(session, OL2TP_SESSION_ID).flatMap(UInt16.init(exactly:))
        else { return nil }
        return .init(tunnelID: tunnelID, sessionID: sessionID)
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> PPPUnixPlugin {
        PluginRegistration.instance(userData)
    }

    /// The host unloads the plugin (daemon exit): stop every pppd.
    func unregistered() {
        supervisor.shutdown()
    }
}

// MARK: - Init and entry point

private let initialize: PluginInitializer = { host, plugin, args, argsLength in
    guard let context = PluginContext(host: host, plugin: plugin, args: args, length: argsLength) else {
        return -EINVAL
    }
    let options: PPPUnixOptions
    do {
        options = try PPPUnixOptions(parsing: context.arguments)
    } catch {
        context.log(Int32(OL2TP_LOG_ERROR), "\(error)")
        return -EINVAL
    }
    let instance = PPPUnixPlugin(host: context.host, plugin: plugin, options: options)
    if !instance.hasParameterAccessor {
        instance.log(
            Int32(OL2TP_LOG_WARNING),
            "daemon has no session_get_param (plugin ABI < 1.1): pppd gets default options only")
    }
    var hooks = ol2tp_hooks_t()
    hooks.ppp_spawn = { userData, session, socket in PPPUnixPlugin.from(userData).spawn(session, socket) }
    hooks.ppp_up = { userData, session in
        let plugin = PPPUnixPlugin.from(userData)
        if let key = plugin.key(session) { plugin.supervisor.pppUp(key) }
    }
    hooks.session_down = { userData, session in
        let plugin = PPPUnixPlugin.from(userData)
        if let key = plugin.key(session) {
            plugin.supervisor.stop(key, daemonStopping: plugin.parameter(session, "daemon_stopping") == "yes")
        }
    }
    hooks.session_deleted = hooks.session_down
    return PluginRegistration.register(instance, hooks: hooks, context: context)
}

nonisolated(unsafe) private let descriptor = PluginDescriptor.allocate(
    name: "ppp_unix", version: "1.0", initialize: initialize)

/// The entry symbol openl2tpd looks up (OL2TP_PLUGIN_ENTRY_SYMBOL).
@_cdecl("openl2tp_plugin_entry_v1")
public func openl2tpPluginEntry() -> UnsafePointer<ol2tp_plugin_descriptor_t> {
    UnsafePointer(descriptor)
}

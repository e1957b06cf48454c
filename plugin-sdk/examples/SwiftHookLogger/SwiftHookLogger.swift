// SwiftHookLogger -- an openl2tpd plugin written in Swift.
//
// The same idea as hook_logger.c: append one line per hook to a file, here
// for the tunnel and session life cycle hooks. It shows what a Swift plugin
// needs: the C header as a module (COpenL2TPPlugin), a dynamic library
// product, and the entry symbol exported with @_cdecl.
//
// Build: swift build --product SwiftHookLogger  (gives .build/debug/libSwiftHookLogger.so)
// Load:  openl2tpd -p /path/libSwiftHookLogger.so:file=/tmp/hooks.log
// Arguments: `file=PATH` (default: $SWIFT_HOOK_LOGGER_FILE), `tag=TEXT`.
// Line format: "<tag> <hook> t=<tunnel id>[ s=<session id>]".
import COpenL2TPPlugin
import OpenL2TPPluginKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Per-instance state, handed to the host as `user_data` (retained) and
/// released by the destructor the host calls at unload.
private final class Logger: PluginInstance {
    let host: UnsafePointer<ol2tp_host_api_t>
    let descriptor: Int32
    let tag: String

    init(host: UnsafePointer<ol2tp_host_api_t>, descriptor: Int32, tag: String) {
        self.host = host
        self.descriptor = descriptor
        self.tag = tag
    }

    deinit { close(descriptor) }

    func record(_ hook: String, _ detail: String) {
        let line = Array("\(tag) \(hook)\(detail)\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    func tunnelID(_ tunnel: OpaquePointer?) -> UInt32 {
        var value: UInt32 = 0
        return host.pointee.tunnel_get_u32(tunnel, UInt32(OL2TP_TUNNEL_ID), &value) == 0 ? value : 0
    }

    func session(_ session: OpaquePointer?, _ field: Int32) -> UInt32 {
        var value: UInt32 = 0
        return host.pointee.session_get_u32(session, UInt32(field), &value) == 0 ? value : 0
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> Logger {
        PluginRegistration.instance(userData)
    }
}

// MARK: - Hooks (C function pointers: no captures)

private func tunnelEvent(_ hook: String) -> @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?) -> Void {
    switch hook {
    case "tunnel_up":
        return { ud, t in
            let l = Logger.from(ud)
            l.record("tunnel_up", " t=\(l.tunnelID(t))")
        }
    case "tunnel_down":
        return { ud, t in
            let l = Logger.from(ud)
            l.record("tunnel_down", " t=\(l.tunnelID(t))")
        }
    default:
        return { ud, t in
            let l = Logger.from(ud)
            l.record("tunnel_deleted", " t=\(l.tunnelID(t))")
        }
    }
}

private func sessionDetail(_ logger: Logger, _ session: OpaquePointer?) -> String {
    " t=\(logger.session(session, OL2TP_SESSION_TUNNEL_ID)) s=\(logger.session(session, OL2TP_SESSION_ID))"
}

private func makeHooks() -> ol2tp_hooks_t {
    var hooks = ol2tp_hooks_t()
    hooks.size = UInt32(MemoryLayout<ol2tp_hooks_t>.size)
    hooks.tunnel_created = { ud, tunnel, _ in
        let logger = Logger.from(ud)
        logger.record("tunnel_created", " t=\(logger.tunnelID(tunnel))")
        return Int32(OL2TP_ACCEPT)
    }
    hooks.tunnel_up = tunnelEvent("tunnel_up")
    hooks.tunnel_down = tunnelEvent("tunnel_down")
    hooks.tunnel_deleted = tunnelEvent("tunnel_deleted")
    hooks.session_created = { ud, s in
        let l = Logger.from(ud)
        l.record("session_created", sessionDetail(l, s))
    }
    hooks.session_up = { ud, s in
        let l = Logger.from(ud)
        l.record("session_up", sessionDetail(l, s))
    }
    hooks.session_down = { ud, s in
        let l = Logger.from(ud)
        l.record("session_down", sessionDetail(l, s))
    }
    hooks.session_deleted = { ud, s in
        let l = Logger.from(ud)
        l.record("session_deleted", sessionDetail(l, s))
    }
    return hooks
}

// MARK: - Init and entry point

private func argumentValue(_ arguments: String, _ key: String) -> String? {
    for option in arguments.split(separator: ",") where option.hasPrefix(key + "=") {
        return String(option.dropFirst(key.count + 1))
    }
    return nil
}

private let initialize: PluginInitializer = { host, plugin, args, argsLength in
    guard let context = PluginContext(host: host, plugin: plugin, args: args, length: argsLength) else {
        return -EINVAL
    }
    let environment = getenv("SWIFT_HOOK_LOGGER_FILE").map { String(cString: $0) }
    guard let file = argumentValue(context.arguments, "file") ?? environment else {
        context.log(Int32(OL2TP_LOG_ERROR), "no file: give file=PATH or set SWIFT_HOOK_LOGGER_FILE")
        return -EINVAL
    }
    let descriptor = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return -errno }
    let logger = Logger(
        host: context.host, descriptor: descriptor, tag: argumentValue(context.arguments, "tag") ?? "swift_hook_logger")
    let status = PluginRegistration.register(logger, hooks: makeHooks(), context: context)
    guard status == 0 else { return status }
    logger.record("init", "")
    return 0
}

nonisolated(unsafe) private let descriptor = PluginDescriptor.allocate(
    name: "swift_hook_logger", version: "1.0", initialize: initialize)

/// The entry symbol openl2tpd looks up (OL2TP_PLUGIN_ENTRY_SYMBOL).
@_cdecl("openl2tp_plugin_entry_v1")
public func openl2tpPluginEntry() -> UnsafePointer<ol2tp_plugin_descriptor_t> {
    UnsafePointer(descriptor)
}

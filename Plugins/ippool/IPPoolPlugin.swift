// ippool -- openl2tpd plugin: PPP addresses from ippoold's pools.
//
// Load: openl2tpd -p ippool[:socket=PATH,pool=NAME,local=A.B.C.D,required=yes,timeout=MS]
//
// ip_allocate: the pool is the session's PPP profile `ip_pool_name` (read with
// session_get_param, ABI 1.1), else the `pool=` argument; no pool -> decline
// (another plugin or the profile's own addresses apply). The peer's address
// comes from ippoold (ADDRESS_ALLOCATE); the local one from the profile's
// `local_ipaddr`, else `local=`. ip_release frees the address.
//
// No hook blocks the daemon's event loop (ABI 1.2): ip_allocate reads what
// it needs from the session, takes a request id (reply_defer), returns
// OL2TP_PENDING, and the RPC to ippoold runs on the plugin's own serial
// queue, which answers with decide_ipv4. ip_release frees on that queue too.
// Each RPC has a short deadline of its own (`timeout=`, default 1000 ms). If
// ippoold cannot be reached, the plugin logs why and declines (the session
// proceeds without a pool address), or, with `required=yes`, fails the
// allocation so the daemon closes the session. An empty or draining pool
// always fails it. If the daemon refuses the answer (its own deadline passed,
// or the session went away), the address goes back to the pool.
//
// A daemon that cannot wait (older than ABI 1.2, or one that asks
// synchronously) gets the RPC inside the hook, as before.
import COpenL2TPPlugin
import Dispatch
import OpenL2TPPluginKit

#if canImport(Glibc)
    import Glibc
#endif

/// Parsed `-p ippool:ARGS`.
struct PluginArguments {
    var socketPath = IPPoolProcedure.defaultSocketPath
    var pool: String?
    var local: UInt32?
    var required = false
    var timeoutMilliseconds: Int32 = 1000

    init(_ text: String) throws(PoolRPCFailure) {
        for option in text.split(separator: ",") where !option.isEmpty {
            guard let equals = option.firstIndex(of: "=") else {
                throw PoolRPCFailure(text: "argument '\(option)': expected name=value")
            }
            let name = String(option[..<equals]), value = String(option[option.index(after: equals)...])
            switch name {
            case "socket": socketPath = value
            case "pool": pool = value
            case "local":
                guard let address = IPv4(value) else {
                    throw PoolRPCFailure(text: "local=\(value): not an IPv4 address")
                }
                local = address.value
            case "required":
                guard value == "yes" || value == "no" else {
                    throw PoolRPCFailure(text: "required=\(value): yes or no")
                }
                required = value == "yes"
            case "timeout":
                guard let ms = Int32(value), (1...30_000).contains(ms) else {
                    throw PoolRPCFailure(text: "timeout=\(value): milliseconds 1-30000")
                }
                timeoutMilliseconds = ms
            default:
                throw PoolRPCFailure(text: "unknown argument '\(name)' (socket, pool, local, required, timeout)")
            }
        }
    }
}

/// Per-instance state (the hooks' `user_data`). Hooks run on the daemon's
/// event loop; RPCs and `allocations` belong to `queue`.
final class PoolPlugin: PluginInstance, @unchecked Sendable {
    let host: UnsafePointer<ol2tp_host_api_t>
    let plugin: OpaquePointer?
    let arguments: PluginArguments
    let client: PoolRPCClient
    let answers: DeferredAnswers
    /// Serial: allocations, frees and `allocations` in the order asked.
    let queue = DispatchQueue(label: "openl2tp.ippool")
    /// (tunnel id, session id) -> what to free at ip_release. On `queue` only.
    var allocations: [UInt64: (pool: String, address: UInt32)] = [:]

    init(host: UnsafePointer<ol2tp_host_api_t>, plugin: OpaquePointer?, arguments: PluginArguments) {
        self.host = host
        self.plugin = plugin
        self.arguments = arguments
        client = PoolRPCClient(socketPath: arguments.socketPath, timeoutMilliseconds: arguments.timeoutMilliseconds)
        answers = DeferredAnswers(host: host, plugin: plugin)
    }

    /// At unload, after the host released every session: the frees it
    /// queued reach ippoold before the daemon goes on.
    func unregistered() { queue.sync {} }

    func log(_ level: Int32, _ text: String) {
        let bytes = Array("ippool: \(text)".utf8CString)
        bytes.withUnsafeBufferPointer { host.pointee.log(plugin, level, $0.baseAddress, UInt32($0.count - 1)) }
    }

    func u32(_ session: OpaquePointer?, _ field: Int32) -> UInt32 {
        var value: UInt32 = 0
        return host.pointee.session_get_u32(session, UInt32(field), &value) == 0 ? value : 0
    }

    /// A session configuration value (ABI 1.1); nil when unset or unknown.
    func parameter(_ session: OpaquePointer?, _ name: String) -> String? {
        guard PluginContext.host(host, has: \.session_get_param), let get = host.pointee.session_get_param
        else { return nil }
        var value: UnsafePointer<CChar>?
        var length: UInt32 = 0
        let status = name.withCString { get(session, $0, UInt32(name.utf8.count), &value, &length) }
        guard status == 0, let value else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: value, count: Int(length)), as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    static func key(_ tunnel: UInt32, _ session: UInt32) -> UInt64 { UInt64(tunnel) << 32 | UInt64(session) }

    /// What asking ippoold for one address came to.
    enum Outcome {
        case address(UInt32)
        /// No answer from ippoold: decline, or fail with `required=yes`.
        case unreachable(String)
        /// ippoold answered with an error (-errno) and a message.
        case refused(Int32, String)
    }

    func allocate(_ session: OpaquePointer?, _ reply: OpaquePointer?) -> Int32 {
        let tunnelID = u32(session, OL2TP_SESSION_TUNNEL_ID), sessionID = u32(session, OL2TP_SESSION_ID)
        let label = "session \(tunnelID)/\(sessionID)"
        guard let pool = parameter(session, "ip_pool_name") ?? arguments.pool else {
            log(OL2TP_LOG_DEBUG, "\(label): no ip_pool_name in its PPP profile and no pool= argument; not allocating")
            return Int32(OL2TP_DECLINE)
        }
        // The daemon needs both ends of the PPP link (pppd's local:remote).
        guard let local = parameter(session, "local_ipaddr").flatMap({ IPv4($0)?.value }) ?? arguments.local else {
            log(
                OL2TP_LOG_ERROR,
                "\(label): pool \(pool) but no local address: set local_ipaddr in the PPP profile or local= for the plugin"
            )
            if arguments.required {
                setReason(reply, "ippool: no local address configured")
                return -EINVAL
            }
            return Int32(OL2TP_DECLINE)
        }
        let key = Self.key(tunnelID, sessionID)
        if let request = answers.deferReply(reply) {
            queue.async { [self] in
                answer(request, obtain(pool, label: label), pool: pool, local: local, key: key, label: label)
            }
            return Int32(OL2TP_PENDING)
        }
        // The daemon asked synchronously: the RPC runs inside the hook.
        switch obtain(pool, label: label) {
        case .address(let address):
            let status = host.pointee.reply_set_ipv4(reply, local, address)
            guard status == 0 else {
                log(
                    OL2TP_LOG_ERROR,
                    "\(label): the daemon refused the addresses (\(status)); giving \(IPv4(address)) back")
                queue.sync { free(pool, address, label: label) }
                return status
            }
            queue.sync { allocations[key] = (pool, address) }
            log(OL2TP_LOG_INFO, "\(label): \(IPv4(address)) from pool \(pool) (local \(IPv4(local)))")
            return Int32(OL2TP_CLAIMED)
        case .unreachable(let text):
            guard arguments.required else { return Int32(OL2TP_DECLINE) }
            setReason(reply, "no address from ippool: \(text)")
            return -EHOSTUNREACH
        case .refused(let status, let message):
            setReason(reply, "ippool: \(message)")
            return status
        }
    }

    /// One ADDRESS_ALLOCATE call, logged. On `queue` or in a hook.
    func obtain(_ pool: String, label: String) -> Outcome {
        let answer: PoolRPCAnswer
        do {
            answer = try client.call(.addressAllocate, [("pool_name", pool)])
        } catch {
            if arguments.required {
                log(OL2TP_LOG_ERROR, "\(label): \(error.text); required=yes, so the session is refused")
            } else {
                log(OL2TP_LOG_ERROR, "\(label): \(error.text); the session proceeds without a pool address")
            }
            return .unreachable(error.text)
        }
        guard answer.status == 0, let address = answer.address else {
            log(OL2TP_LOG_ERROR, "\(label): pool \(pool): \(answer.message)")
            return .refused(answer.status < 0 ? answer.status : -EIO, answer.message)
        }
        return .address(address)
    }

    /// On `queue`: gives the daemon the deferred answer; what it refuses
    /// (too late, session gone) goes back to the pool.
    func answer(_ request: UInt64, _ outcome: Outcome, pool: String, local: UInt32, key: UInt64, label: String) {
        switch outcome {
        case .address(let address):
            let status = answers.decideAddresses(
                request, status: Int32(OL2TP_CLAIMED), local: local, peer: address)
            guard status == 0 else {
                log(
                    OL2TP_LOG_WARNING,
                    "\(label): the daemon refused the answer (\(status)); giving \(IPv4(address)) back")
                free(pool, address, label: label)
                return
            }
            allocations[key] = (pool, address)
            log(OL2TP_LOG_INFO, "\(label): \(IPv4(address)) from pool \(pool) (local \(IPv4(local)))")
        case .unreachable(let text):
            let status = arguments.required ? -EHOSTUNREACH : Int32(OL2TP_DECLINE)
            _ = answers.decideAddresses(request, status: status, reason: "no address from ippool: \(text)")
        case .refused(let status, let message):
            _ = answers.decideAddresses(request, status: status, reason: "ippool: \(message)")
        }
    }

    func release(_ session: OpaquePointer?) {
        let tunnelID = u32(session, OL2TP_SESSION_TUNNEL_ID), sessionID = u32(session, OL2TP_SESSION_ID)
        queue.async { [self] in
            guard let (pool, address) = allocations.removeValue(forKey: Self.key(tunnelID, sessionID)) else { return }
            free(pool, address, label: "session \(tunnelID)/\(sessionID)")
        }
    }

    /// One ADDRESS_FREE call, logged.
    func free(_ pool: String, _ address: UInt32, label: String) {
        let text = IPv4(address).description
        do {
            let answer = try client.call(.addressFree, [("pool_name", pool), ("addr", text)])
            if answer.status != 0 {
                log(OL2TP_LOG_WARNING, "\(label): freeing \(text): \(answer.message)")
            } else {
                log(OL2TP_LOG_INFO, "\(label): freed \(text) to pool \(pool)")
            }
        } catch {
            log(OL2TP_LOG_ERROR, "\(label): cannot free \(text) to pool \(pool): \(error.text)")
        }
    }

    func setReason(_ reply: OpaquePointer?, _ text: String) {
        let bytes = Array(text.utf8CString)
        _ = bytes.withUnsafeBufferPointer {
            host.pointee.reply_set_reason(reply, 0, 0, $0.baseAddress, UInt32($0.count - 1))
        }
    }

    static func from(_ userData: UnsafeMutableRawPointer?) -> PoolPlugin {
        PluginRegistration.instance(userData)
    }
}

// MARK: - Init and entry point

private let initialize: PluginInitializer = { host, plugin, args, argsLength in
    guard let context = PluginContext(host: host, plugin: plugin, args: args, length: argsLength) else {
        return -EINVAL
    }
    let arguments: PluginArguments
    do throws(PoolRPCFailure) {
        arguments = try PluginArguments(context.arguments)
    } catch {
        context.log(Int32(OL2TP_LOG_ERROR), "ippool: \(error.text)")
        return -EINVAL
    }
    let state = PoolPlugin(host: context.host, plugin: plugin, arguments: arguments)
    var hooks = ol2tp_hooks_t()
    hooks.ip_allocate = { userData, session, reply in PoolPlugin.from(userData).allocate(session, reply) }
    hooks.ip_release = { userData, session in PoolPlugin.from(userData).release(session) }
    let status = PluginRegistration.register(state, hooks: hooks, context: context)
    guard status == 0 else { return status }
    state.log(
        OL2TP_LOG_INFO, "using ippoold at \(arguments.socketPath)\(arguments.pool.map { ", default pool \($0)" } ?? "")"
    )
    return 0
}

nonisolated(unsafe) private let descriptor = PluginDescriptor.allocate(
    name: "ippool", version: "1.0", initialize: initialize)

/// The entry symbol openl2tpd looks up (OL2TP_PLUGIN_ENTRY_SYMBOL).
@_cdecl("openl2tp_plugin_entry_v1")
public func openl2tpPluginEntry() -> UnsafePointer<ol2tp_plugin_descriptor_t> {
    UnsafePointer(descriptor)
}

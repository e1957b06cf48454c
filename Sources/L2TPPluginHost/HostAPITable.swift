import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - The C functions behind ol2tp_host_api_t

/// The host API as plugins see it. Every entry looks its handles up in
/// `handleRegistry`; none captures state, as C function pointers cannot.
enum HostAPITable {
    /// Builds a table for one host. It is never freed: plugins may keep the
    /// pointer (and plugin code stays mapped) until the process exits.
    static func make(daemonVersion: String) -> UnsafePointer<ol2tp_host_api_t> {
        let versionBytes = Array(daemonVersion.utf8)
        let version = UnsafeMutablePointer<CChar>.allocate(capacity: versionBytes.count + 1)
        for (index, byte) in versionBytes.enumerated() { version[index] = CChar(bitPattern: byte) }
        version[versionBytes.count] = 0

        var api = ol2tp_host_api_t()
        api.size = UInt32(MemoryLayout<ol2tp_host_api_t>.size)
        api.abi_major = PluginABI.major
        api.abi_minor = PluginABI.minor
        api.daemon_version = UnsafePointer(version)
        api.daemon_version_len = UInt32(versionBytes.count)
        api.log = { plugin, level, message, length in HostAPITable.log(plugin, level, message, length) }
        api.register_hooks = { plugin, hooks, userData, destroy in
            HostAPITable.registerHooks(plugin, hooks, userData, destroy)
        }
        api.tunnel_get_u32 = { handle, field, value in HostAPITable.number(handle, .tunnel, field, value) }
        api.tunnel_get_str = { handle, field, value, length in
            HostAPITable.string(handle, .tunnel, field, value, length)
        }
        api.session_get_u32 = { handle, field, value in HostAPITable.number(handle, .session, field, value) }
        api.session_get_str = { handle, field, value, length in
            HostAPITable.string(handle, .session, field, value, length)
        }
        api.socket_get_u32 = { handle, field, value in HostAPITable.number(handle, .socket, field, value) }
        api.socket_get_str = { handle, field, value, length in
            HostAPITable.string(handle, .socket, field, value, length)
        }
        api.reply_set_reason = { reply, resultCode, errorCode, message, length in
            HostAPITable.setReason(reply, resultCode, errorCode, message, length)
        }
        api.reply_set_ipv4 = { reply, local, peer in HostAPITable.setAddresses(reply, local, peer) }
        api.tunnel_close = { plugin, tunnelID, reason, length in
            HostAPITable.close(plugin, tunnelID, nil, reason, length)
        }
        api.session_close = { plugin, tunnelID, sessionID, reason, length in
            HostAPITable.close(plugin, tunnelID, sessionID, reason, length)
        }
        api.session_get_param = { handle, name, nameLength, value, length in
            HostAPITable.parameter(handle, name, nameLength, value, length)
        }
        api.reply_defer = { reply, request in HostAPITable.deferReply(reply, request) }
        api.decide = { plugin, request, verdict, resultCode, errorCode, reason, length in
            HostAPITable.decide(plugin, request, verdict, resultCode, errorCode, reason, length)
        }
        api.decide_ipv4 = { plugin, request, status, local, peer, reason, length in
            HostAPITable.decideAddresses(plugin, request, status, local, peer, reason, length)
        }

        let table = UnsafeMutablePointer<ol2tp_host_api_t>.allocate(capacity: 1)
        table.initialize(to: api)
        return UnsafePointer(table)
    }

    /// Plugin text is bounded: a runaway length must not allocate gigabytes.
    static let maximumTextLength: UInt32 = 4096

    static func text(_ pointer: UnsafePointer<CChar>?, _ length: UInt32) -> String {
        guard let pointer, length > 0 else { return "" }
        let count = Int(min(length, maximumTextLength))
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    private static func context(_ plugin: OpaquePointer?) -> PluginContext? {
        let token = UInt(handle: plugin)
        return handleRegistry.withLock { $0.plugins[token] }
    }

    // MARK: - Calls

    static func log(_ plugin: OpaquePointer?, _ level: Int32, _ message: UnsafePointer<CChar>?, _ length: UInt32) {
        guard let context = context(plugin) else { return }
        context.shared.log(
            PluginLogMessage(
                plugin: context.name, level: PluginLogLevel(abiLevel: level), message: text(message, length))
        )
    }

    static func registerHooks(
        _ plugin: OpaquePointer?,
        _ hooks: UnsafePointer<ol2tp_hooks_t>?,
        _ userData: UnsafeMutableRawPointer?,
        _ destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    ) -> Int32 {
        guard let context = context(plugin) else { return -ESTALE }
        guard let hooks else { return -EINVAL }
        // The size comes first and is all we may read before trusting it.
        let declaredSize = UnsafeRawPointer(hooks).loadUnaligned(as: UInt32.self)
        guard declaredSize >= 8 else { return -EINVAL }
        var table = ol2tp_hooks_t()
        withUnsafeMutableBytes(of: &table) { destination in
            let count = min(Int(declaredSize), destination.count)
            destination.baseAddress!.copyMemory(from: UnsafeRawPointer(hooks), byteCount: count)
        }
        let accepted = handleRegistry.withLock { _ -> Bool in
            guard context.acceptsRegistrations else { return false }
            context.registrations.append(PendingRegistration(hooks: table, userData: userData, destroy: destroy))
            return true
        }
        guard accepted else {
            context.shared.log(
                PluginLogMessage(
                    plugin: context.name, level: .error,
                    message: "register_hooks called after init returned: ignored (register from init only)"
                )
            )
            return -EPERM
        }
        return 0
    }

    static func number(
        _ handle: OpaquePointer?, _ kind: Snapshot.Kind, _ field: UInt32, _ value: UnsafeMutablePointer<UInt32>?
    ) -> Int32 {
        guard let value else { return -EINVAL }
        let token = UInt(handle: handle)
        return handleRegistry.withLock { table -> Int32 in
            guard let snapshot = table.snapshots[token] else { return -ESTALE }
            guard snapshot.kind == kind else { return -EINVAL }
            switch snapshot.number(field) {
            case .value(let number):
                value.pointee = number
                return 0
            case .absent: return -ENODATA
            case .wrongType: return -EINVAL
            case .unknown: return -ENOENT
            }
        }
    }

    static func string(
        _ handle: OpaquePointer?, _ kind: Snapshot.Kind, _ field: UInt32,
        _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ length: UnsafeMutablePointer<UInt32>?
    ) -> Int32 {
        guard let value, let length else { return -EINVAL }
        let token = UInt(handle: handle)
        return handleRegistry.withLock { table -> Int32 in
            guard let snapshot = table.snapshots[token] else { return -ESTALE }
            guard snapshot.kind == kind else { return -EINVAL }
            switch snapshot.string(field) {
            case .value(let string):
                value.pointee = string.pointer
                length.pointee = string.length
                return 0
            case .absent: return -ENODATA
            case .wrongType: return -EINVAL
            case .unknown: return -ENOENT
            }
        }
    }

    /// ABI 1.1: a session's configuration value by l2tpconfig parameter name.
    static func parameter(
        _ handle: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ nameLength: UInt32,
        _ value: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ length: UnsafeMutablePointer<UInt32>?
    ) -> Int32 {
        guard let value, let length, let name, nameLength > 0, nameLength <= 128 else { return -EINVAL }
        let key = text(name, nameLength)
        let token = UInt(handle: handle)
        return handleRegistry.withLock { table -> Int32 in
            guard let snapshot = table.snapshots[token] else { return -ESTALE }
            guard snapshot.kind == .session else { return -EINVAL }
            guard let entry = snapshot.parameter(key) else { return -ENOENT }
            value.pointee = entry.pointer
            length.pointee = entry.length
            return 0
        }
    }

    static func setReason(
        _ reply: OpaquePointer?, _ resultCode: UInt16, _ errorCode: UInt16,
        _ message: UnsafePointer<CChar>?, _ length: UInt32
    ) -> Int32 {
        let token = UInt(handle: reply)
        let reason = text(message, length)
        return handleRegistry.withLock { table -> Int32 in
            guard let box = table.replies[token] else { return -ESTALE }
            box.reason = reason
            box.resultCode = resultCode == 0 ? nil : resultCode
            box.errorCode = errorCode == 0 ? nil : errorCode
            return 0
        }
    }

    static func setAddresses(_ reply: OpaquePointer?, _ local: UInt32, _ peer: UInt32) -> Int32 {
        let token = UInt(handle: reply)
        return handleRegistry.withLock { table -> Int32 in
            guard let box = table.replies[token] else { return -ESTALE }
            guard box.acceptsAddresses else { return -EPERM }
            guard local != 0, peer != 0 else { return -EINVAL }
            box.addresses = (local, peer)
            return 0
        }
    }

    // MARK: - Deferred decisions (ABI 1.2)

    /// Gives the hook a request id to answer with later, if it may pend.
    static func deferReply(_ reply: OpaquePointer?, _ request: UnsafeMutablePointer<UInt64>?) -> Int32 {
        guard let request else { return -EINVAL }
        let token = UInt(handle: reply)
        return handleRegistry.withLock { table -> Int32 in
            guard let box = table.replies[token] else { return -ESTALE }
            guard let deferral = box.deferral else { return -EPERM }
            let id =
                box.requestID
                ?? deferral.shared.pending.withLock { $0.issue(owner: deferral.owner, kind: deferral.kind) }
            box.requestID = id
            request.pointee = id
            return 0
        }
    }

    static func decide(
        _ plugin: OpaquePointer?, _ request: UInt64, _ verdict: Int32, _ resultCode: UInt16, _ errorCode: UInt16,
        _ reason: UnsafePointer<CChar>?, _ length: UInt32
    ) -> Int32 {
        guard let context = context(plugin) else { return -ESTALE }
        guard verdict == Int32(OL2TP_ACCEPT) || verdict == Int32(OL2TP_REFUSE) else {
            return refused(context, "decide for request \(request): verdict \(verdict) is neither ACCEPT nor REFUSE")
        }
        let answer = PendingAnswerTable.Answer.decision(
            verdict: verdict, resultCode: resultCode, errorCode: errorCode, reason: text(reason, length))
        return context.shared.answer(answer, for: request, from: context, owner: UInt(handle: plugin))
    }

    static func decideAddresses(
        _ plugin: OpaquePointer?, _ request: UInt64, _ status: Int32, _ local: UInt32, _ peer: UInt32,
        _ reason: UnsafePointer<CChar>?, _ length: UInt32
    ) -> Int32 {
        guard let context = context(plugin) else { return -ESTALE }
        if status == Int32(OL2TP_CLAIMED), local == 0 || peer == 0 {
            return refused(context, "decide_ipv4 for request \(request): CLAIMED needs both addresses")
        }
        guard status == Int32(OL2TP_CLAIMED) || status == Int32(OL2TP_DECLINE) || status < 0 else {
            return refused(
                context, "decide_ipv4 for request \(request): status \(status) is not CLAIMED, DECLINE or -errno")
        }
        let answer = PendingAnswerTable.Answer.addresses(
            status: status, local: local, peer: peer, reason: text(reason, length))
        return context.shared.answer(answer, for: request, from: context, owner: UInt(handle: plugin))
    }

    private static func refused(_ context: PluginContext, _ message: String) -> Int32 {
        context.shared.log(PluginLogMessage(plugin: context.name, level: .warning, message: message + ": refused"))
        return -EINVAL
    }

    static func close(
        _ plugin: OpaquePointer?, _ tunnelID: UInt32, _ sessionID: UInt32?,
        _ reason: UnsafePointer<CChar>?, _ length: UInt32
    ) -> Int32 {
        guard let context = context(plugin) else { return -ESTALE }
        // L2TPv2 ids are 16 bits (RFC 2661 3.1); 0 names no tunnel or session.
        guard let tunnel = UInt16(exactly: tunnelID), tunnel != 0 else { return -EINVAL }
        let why = text(reason, length)
        if let sessionID {
            guard let session = UInt16(exactly: sessionID), session != 0 else { return -EINVAL }
            context.shared.request(
                .closeSession(tunnelID: tunnel, sessionID: session, reason: why, plugin: context.name))
        } else {
            context.shared.request(.closeTunnel(tunnelID: tunnel, reason: why, plugin: context.name))
        }
        return 0
    }
}

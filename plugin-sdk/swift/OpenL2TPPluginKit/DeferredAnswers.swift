public import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension PluginContext {
    /// `OL2TP_HOST_HAS(host, member)`: the daemon's host table is long enough
    /// to hold `member` and sets it. A plugin built against a newer header
    /// tests a call before using it.
    public func hostHas<Call>(_ member: KeyPath<ol2tp_host_api_t, Call?>) -> Bool {
        PluginContext.host(host, has: member)
    }

    /// The same, for a host table kept without its context.
    public static func host<Call>(_ host: UnsafePointer<ol2tp_host_api_t>, has member: KeyPath<ol2tp_host_api_t, Call?>)
        -> Bool
    {
        guard let offset = MemoryLayout<ol2tp_host_api_t>.offset(of: member) else { return false }
        return Int(host.pointee.size) >= offset + MemoryLayout<Call?>.size && host.pointee[keyPath: member] != nil
    }
}

/// Deferred decisions (ABI 1.2) in Swift: take a request id inside the hook,
/// return `OL2TP_PENDING`, answer later from any thread.
public struct DeferredAnswers: @unchecked Sendable {
    public let host: UnsafePointer<ol2tp_host_api_t>
    public let plugin: OpaquePointer?

    public init(host: UnsafePointer<ol2tp_host_api_t>, plugin: OpaquePointer?) {
        self.host = host
        self.plugin = plugin
    }

    /// Inside tunnel_authorize, session_authorize or ip_allocate: the request
    /// id to answer with, or nil when the daemon cannot wait (older than
    /// 1.2, or it asked synchronously): then decide on the spot.
    public func deferReply(_ reply: OpaquePointer?) -> UInt64? {
        guard PluginContext.host(host, has: \.reply_defer), let call = host.pointee.reply_defer else { return nil }
        var request: UInt64 = 0
        return call(reply, &request) == 0 ? request : nil
    }

    /// Answers a deferred authorization; 0, or the host's -errno (late,
    /// duplicate, cancelled...).
    public func decide(
        _ request: UInt64, accept: Bool, resultCode: UInt16 = 0, errorCode: UInt16 = 0, reason: String = ""
    ) -> Int32 {
        guard let call = host.pointee.decide else { return -ENOSYS }
        let verdict = Int32(accept ? OL2TP_ACCEPT : OL2TP_REFUSE)
        return withText(reason) { call(plugin, request, verdict, resultCode, errorCode, $0, $1) }
    }

    /// Answers a deferred ip_allocate: `OL2TP_CLAIMED` with both addresses
    /// (host byte order), `OL2TP_DECLINE`, or -errno. When a claim is not
    /// answered with 0, the addresses were not taken: give them back.
    public func decideAddresses(
        _ request: UInt64, status: Int32, local: UInt32 = 0, peer: UInt32 = 0, reason: String = ""
    ) -> Int32 {
        guard let call = host.pointee.decide_ipv4 else { return -ENOSYS }
        return withText(reason) { call(plugin, request, status, local, peer, $0, $1) }
    }

    private func withText(_ text: String, _ body: (UnsafePointer<CChar>?, UInt32) -> Int32) -> Int32 {
        let bytes = Array(text.utf8CString)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress, UInt32($0.count - 1)) }
    }
}

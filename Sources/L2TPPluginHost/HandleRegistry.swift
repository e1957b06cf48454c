import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every opaque handle given to C is a token, never a Swift pointer.
///
/// A plugin that keeps a tunnel handle after its hook returned, or passes a
/// session handle where a tunnel is expected, gets -ESTALE / -EINVAL from the
/// accessor instead of reading freed memory: the host looks tokens up in these
/// tables and never dereferences what a plugin hands back. One counter serves
/// all tables, so a token of one kind is never valid as another.
struct HandleTable {
    private var nextToken: UInt = 1
    var plugins: [UInt: PluginContext] = [:]
    var snapshots: [UInt: Snapshot] = [:]
    var replies: [UInt: ReplyBox] = [:]

    mutating func makeToken() -> UInt {
        defer { nextToken += 1 }
        return nextToken
    }
}

/// The process-wide handle tables: C callbacks cannot capture a host.
let handleRegistry = Locked(HandleTable())

extension UInt {
    /// The token behind an opaque handle (0 for NULL).
    init(handle: OpaquePointer?) {
        self = handle.map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0))) } ?? 0
    }
}

extension OpaquePointer {
    init(token: UInt) {
        // Tokens start at 1, so this never yields NULL.
        self.init(bitPattern: token)!
    }
}

/// A hook table a plugin registered during its init, with what to pass it.
struct PendingRegistration {
    var hooks: ol2tp_hooks_t
    var userData: UnsafeMutableRawPointer?
    var destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
}

/// One loaded plugin instance as the C side addresses it (`ol2tp_plugin_t *`).
/// Mutable fields are guarded by `handleRegistry`'s lock.
final class PluginContext: @unchecked Sendable {
    let name: String
    let shared: HostShared
    var acceptsRegistrations = true
    var registrations: [PendingRegistration] = []

    init(name: String, shared: HostShared) {
        self.name = name
        self.shared = shared
    }
}

/// Where a deciding or claiming hook leaves its answer.
/// Mutated under `handleRegistry`'s lock by the C calls.
final class ReplyBox: @unchecked Sendable {
    /// What `reply_defer` needs when this hook may pend (ABI 1.2).
    struct Deferral {
        var kind: PendingAnswerTable.Kind
        /// The plugin context token of the plugin being asked.
        var owner: UInt
        var shared: HostShared
    }

    let acceptsAddresses: Bool
    let deferral: Deferral?
    var reason: String?
    var resultCode: UInt16?
    var errorCode: UInt16?
    var addresses: (local: UInt32, peer: UInt32)?
    /// Set by `reply_defer`: the id the plugin answers with later.
    var requestID: UInt64?

    init(acceptsAddresses: Bool, deferral: Deferral? = nil) {
        self.acceptsAddresses = acceptsAddresses
        self.deferral = deferral
    }
}

/// What a host shares with the C callbacks of its plugins: the daemon's
/// handlers, and which thread is inside a hook right now.
final class HostShared: @unchecked Sendable {
    let log: @Sendable (PluginLogMessage) -> Void
    let act: @Sendable (PluginAction) -> Void

    private struct Dispatch {
        var thread: pthread_t?
        var deferred: [PluginAction] = []
        /// A deferred answer came in during the event: deliver after it.
        var drainRequested = false
    }

    private let dispatch = Locked(Dispatch())
    /// Deferred decisions (ABI 1.2); see `PendingAnswerTable`.
    let pending = Locked(PendingAnswerTable())

    init(log: @escaping @Sendable (PluginLogMessage) -> Void, act: @escaping @Sendable (PluginAction) -> Void) {
        self.log = log
        self.act = act
    }

    func beginDispatch() { dispatch.withLock { $0.thread = pthread_self() } }

    /// Ends dispatch and returns the actions asked for meanwhile, and whether
    /// a deferred answer arrived during it.
    func endDispatch() -> (actions: [PluginAction], drain: Bool) {
        dispatch.withLock { state in
            state.thread = nil
            defer {
                state.deferred = []
                state.drainRequested = false
            }
            return (state.deferred, state.drainRequested)
        }
    }

    /// Takes a plugin's answer to a deferred decision, from any thread, and
    /// has the daemon's event loop pick it up. Returns 0 or -errno.
    func answer(_ answer: PendingAnswerTable.Answer, for id: UInt64, from context: PluginContext, owner: UInt)
        -> Int32
    {
        let (status, why) = pending.withLock { table -> (Int32, String) in
            let status = table.record(answer, for: id, from: owner)
            return (status, status == 0 ? "" : table.explanation(for: id, status: status))
        }
        guard status == 0 else {
            let call = answer.kind == .authorization ? "decide" : "decide_ipv4"
            log(
                PluginLogMessage(
                    plugin: context.name, level: .warning,
                    message: "\(call) for request \(id) refused (\(status)): \(why)"))
            return status
        }
        let inEvent = dispatch.withLock { state -> Bool in
            guard let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 else { return false }
            state.drainRequested = true
            return true
        }
        // From inside a hook the loop is busy with this very event: ask for
        // delivery once the event returns (PluginHost.dispatching).
        if !inEvent { requestDrain() }
        return 0
    }

    /// Inside an event on the loop: take the answers when the event returns.
    func drainAfterDispatch() { dispatch.withLock { $0.drainRequested = true } }

    /// Asks the daemon to run the host's answer drain on its event loop.
    func requestDrain() {
        let (deliver, drain) = pending.withLock { ($0.deliver, $0.drain) }
        if let deliver, let drain { deliver(drain) }
    }

    /// Actions asked for from inside a hook wait until the event returns, so
    /// the daemon never re-enters the host while it is iterating plugins;
    /// actions from other threads go straight to the daemon's handler.
    func request(_ action: PluginAction) {
        let deferred = dispatch.withLock { state -> Bool in
            guard let thread = state.thread, pthread_equal(thread, pthread_self()) != 0 else { return false }
            state.deferred.append(action)
            return true
        }
        if !deferred { act(action) }
    }
}

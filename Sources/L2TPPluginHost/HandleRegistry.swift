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
    let acceptsAddresses: Bool
    var reason: String?
    var resultCode: UInt16?
    var errorCode: UInt16?
    var addresses: (local: UInt32, peer: UInt32)?

    init(acceptsAddresses: Bool) { self.acceptsAddresses = acceptsAddresses }
}

/// What a host shares with the C callbacks of its plugins: the daemon's
/// handlers, and which thread is inside a hook right now.
final class HostShared: @unchecked Sendable {
    let log: @Sendable (PluginLogMessage) -> Void
    let act: @Sendable (PluginAction) -> Void

    private struct Dispatch {
        var thread: pthread_t?
        var deferred: [PluginAction] = []
    }

    private let dispatch = Locked(Dispatch())

    init(log: @escaping @Sendable (PluginLogMessage) -> Void, act: @escaping @Sendable (PluginAction) -> Void) {
        self.log = log
        self.act = act
    }

    func beginDispatch() { dispatch.withLock { $0.thread = pthread_self() } }

    /// Ends dispatch and returns the actions asked for meanwhile.
    func endDispatch() -> [PluginAction] {
        dispatch.withLock { state in
            state.thread = nil
            defer { state.deferred = [] }
            return state.deferred
        }
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

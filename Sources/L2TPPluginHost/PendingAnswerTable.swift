#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The request ids plugins answer deferred decisions with (ABI 1.2), shared
/// between the event loop (which issues and settles them) and plugin threads
/// (which answer them). Guarded by `HostShared.pending`.
///
/// An id is answered at most once. What happened to an id that is no longer
/// open is remembered for a while (`retired`), so a late or duplicate answer
/// is refused with an errno that says why.
struct PendingAnswerTable {
    enum Kind: Sendable {
        /// tunnel_authorize / session_authorize: answered with `decide`.
        case authorization
        /// ip_allocate: answered with `decide_ipv4`.
        case addresses
    }

    enum Answer: Sendable {
        /// OL2TP_ACCEPT or OL2TP_REFUSE, with the RFC 2661 4.4.2 codes (0:
        /// the daemon chooses) and a reason to log.
        case decision(verdict: Int32, resultCode: UInt16, errorCode: UInt16, reason: String)
        /// OL2TP_CLAIMED with both addresses, OL2TP_DECLINE or -errno.
        case addresses(status: Int32, local: UInt32, peer: UInt32, reason: String)

        var kind: Kind {
            switch self {
            case .decision: return .authorization
            case .addresses: return .addresses
            }
        }
    }

    /// Why an id is no longer open; each maps to the errno a late answer gets.
    enum Retirement: Sendable {
        case answered, timedOut, cancelled
        /// The hook took an id but answered synchronously after all.
        case void

        var errno: Int32 {
            switch self {
            case .answered: return EALREADY
            case .timedOut: return ETIMEDOUT
            case .cancelled: return ECANCELED
            case .void: return ENOENT
            }
        }

        var explanation: String {
            switch self {
            case .answered: return "it was already answered (duplicate answer)"
            case .timedOut: return "the deadline passed before the answer came (late answer)"
            case .cancelled: return "its tunnel or session went away meanwhile"
            case .void: return "the hook that took it did not return OL2TP_PENDING"
            }
        }
    }

    struct Request {
        /// The plugin context token (`ol2tp_plugin_t *`) that may answer.
        let owner: UInt
        let kind: Kind
        var answer: Answer?
    }

    /// How many settled ids keep their reason; older ones answer -ENOENT.
    static let retiredMemory = 4096

    private var nextID: UInt64 = 1
    private var open: [UInt64: Request] = [:]
    private var retired: [UInt64: Retirement] = [:]
    private var retiredOrder: [UInt64] = []

    /// What the daemon asked to run on its event loop (nil: deferral is off).
    var deliver: (@Sendable (@escaping @Sendable () -> Void) -> Void)?
    /// The closure handed to `deliver`: the host takes the queued answers.
    var drain: (@Sendable () -> Void)?

    mutating func issue(owner: UInt, kind: Kind) -> UInt64 {
        defer { nextID += 1 }
        open[nextID] = Request(owner: owner, kind: kind)
        return nextID
    }

    /// Stores a plugin's answer; returns 0 or the negative errno of the ABI.
    mutating func record(_ answer: Answer, for id: UInt64, from owner: UInt) -> Int32 {
        guard var request = open[id] else { return -(retired[id]?.errno ?? ENOENT) }
        guard request.owner == owner else { return -EPERM }
        guard request.kind == answer.kind else { return -EINVAL }
        guard request.answer == nil else { return -EALREADY }
        request.answer = answer
        open[id] = request
        return 0
    }

    /// Why `id` cannot be answered (for the log line of a refused answer).
    func explanation(for id: UInt64, status: Int32) -> String {
        if let reason = retired[id] { return reason.explanation }
        switch -status {
        case EALREADY: return "it was already answered (duplicate answer)"
        case EPERM: return "it belongs to another plugin"
        case EINVAL: return "it is not that kind of request (decide answers authorize, decide_ipv4 ip_allocate)"
        default: return id >= nextID ? "no such request was issued" : "it is no longer pending"
        }
    }

    /// Closes `id`; returns its request (with the answer, if one came).
    mutating func settle(_ id: UInt64, as reason: Retirement) -> Request? {
        guard let request = open.removeValue(forKey: id) else { return nil }
        retired[id] = reason
        retiredOrder.append(id)
        if retiredOrder.count > Self.retiredMemory + Self.retiredMemory / 4 {
            for old in retiredOrder.prefix(retiredOrder.count - Self.retiredMemory) { retired[old] = nil }
            retiredOrder.removeFirst(retiredOrder.count - Self.retiredMemory)
        }
        return request
    }

    /// The ids whose answer has arrived, in issue order.
    var answeredIDs: [UInt64] {
        open.filter { $0.value.answer != nil }.keys.sorted()
    }

    func answer(for id: UInt64) -> Answer? { open[id]?.answer }
}

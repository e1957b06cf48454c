import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one plugin chain of a deciding hook came to.
enum AskStep {
    case accepted
    case refused(PluginRefusal, asked: Int)
    /// `registration` pended with `token`; `remaining` are asked after it accepts.
    case pending(token: UInt64, registration: Int, remaining: [Int])
}

/// What one plugin chain of ip_allocate came to.
enum AllocationStep {
    case settled(AddressAllocationResult)
    case pending(token: UInt64, registration: Int, remaining: [Int])
}

/// The event loop's side of deferred decisions (ABI 1.2): which daemon
/// question waits for which plugin request id, until when.
struct DeferredDecisions {
    enum Subject: Hashable {
        case tunnel(UInt16)
        case session(LifecycleLedger.SessionKey)
        case addresses(LifecycleLedger.SessionKey)
    }

    struct Request {
        var subject: Subject
        /// Monotonic ns; the whole chain must be answered by then.
        var deadline: UInt64
        /// The plugin request id the chain waits on, and whose it is.
        var token: UInt64
        var registration: Int
        /// Asked once `registration` accepts (or, for addresses, declines).
        var remaining: [Int]
    }

    var timeouts: PendingTimeouts
    let completion: (PendingOutcome) -> Void
    var requests: [PendingRequestID: Request] = [:]
    var byToken: [UInt64: PendingRequestID] = [:]
    var nextID: UInt64 = 1
}

/// Lets the drain closure (which must be `@Sendable`, as the daemon runs it
/// through `deliver`) find the host without keeping it alive. Read only on
/// the event loop, where `deliver` runs the closure.
final class HostReference: @unchecked Sendable {
    weak var host: PluginHost?
}

extension PluginHost {
    // MARK: - Setting up

    /// Lets plugins answer tunnel_authorize, session_authorize and
    /// ip_allocate later (ABI 1.2 OL2TP_PENDING). Call once, on the event loop.
    ///
    /// - Parameters:
    ///   - timeouts: how long a question may stay unanswered (`expirePending`).
    ///   - deliver: runs a closure on the daemon's event loop, later: it must
    ///     enqueue (NIO: `eventLoop.execute`), never run the closure before it
    ///     returns. Called from plugin threads and from the loop.
    ///   - completion: receives, on the event loop, each deferred question's
    ///     outcome once the plugins answered it (not the ones that
    ///     `expirePending` returns, nor cancelled ones). The host is not in
    ///     the middle of an event then: the daemon may call it.
    ///
    /// Until this is called (and in the synchronous `admitTunnel(_:)`,
    /// `admitSession(_:)`, `authorize*(_:)`, `allocateAddresses(for:)`),
    /// plugins cannot pend: `reply_defer` answers -EPERM and they decide on
    /// the spot.
    public func enableDeferredDecisions(
        timeouts: PendingTimeouts = PendingTimeouts(),
        deliver: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void,
        completion: @escaping (PendingOutcome) -> Void
    ) {
        let reference = HostReference()
        reference.host = self
        deferred = DeferredDecisions(timeouts: timeouts, completion: completion)
        shared.pending.withLock { table in
            table.deliver = deliver
            table.drain = { reference.host?.deliverAnswers() }
        }
    }

    /// The deadlines of questions asked from now on (e.g. after SIGHUP).
    public var pendingTimeouts: PendingTimeouts {
        get { deferred?.timeouts ?? PendingTimeouts() }
        set { deferred?.timeouts = newValue }
    }

    // MARK: - Asking (the daemon's event loop)

    /// `tunnelCreated`, then, unless refused, `authorizeTunnel(_:now:)`: the
    /// moment an SCCRQ is admitted. `now` is the daemon's monotonic clock in
    /// ns; a pending answer must come by `now` + `pendingTimeouts.authorize`.
    public func admitTunnel(_ tunnel: TunnelInfo, now: UInt64) -> AdmissionVerdict {
        dispatching {
            if case .refuse(let refusal) = tunnelCreated(tunnel) { return .refuse(refusal) }
            return authorizeTunnel(tunnel, now: now)
        }
    }

    /// Asks plugins whether to accept the tunnel (after `tunnelCreated`,
    /// before `tunnelUp`); they may pend. Asking again while pending returns
    /// the same `.pending` id; after a refusal, the same refusal.
    public func authorizeTunnel(_ tunnel: TunnelInfo, now: UInt64) -> AdmissionVerdict {
        dispatching {
            authorize(
                \.tunnels, tunnel.tunnelID, tunnel, subject: .tunnel(tunnel.tunnelID),
                label: "tunnel \(tunnel.tunnelID)", hook: \.tunnel_authorize, now: now)
        }
    }

    /// `sessionCreated` then `authorizeSession(_:now:)`: an ICRQ/OCRQ is admitted.
    public func admitSession(_ session: SessionInfo, now: UInt64) -> AdmissionVerdict {
        dispatching {
            sessionCreated(session)
            return authorizeSession(session, now: now)
        }
    }

    /// Asks plugins whether to accept the session; they may pend.
    public func authorizeSession(_ session: SessionInfo, now: UInt64) -> AdmissionVerdict {
        dispatching {
            authorize(
                \.sessions, session.key, session, subject: .session(session.key), label: session.label,
                hook: \.session_authorize, now: now)
        }
    }

    /// Asks plugins for the PPP link's addresses; they may pend. Asking again
    /// returns the allocation (or the same pending id).
    public func allocateAddresses(for session: SessionInfo, now: UInt64) -> AddressVerdict {
        dispatching {
            guard var entry = ledger.sessions[session.key], entry.phase != .down, entry.refusal == nil else {
                return .settled(notDelivered("address allocation for \(session.label) that is not live"))
            }
            if let existing = entry.addresses { return .settled(.allocated(existing.allocation)) }
            if let pending = entry.addressRequest { return .pending(pending) }
            entry.info = session
            ledger.sessions[session.key] = entry
            let step = allocate(session.key, entry.audience, deferrable: true)
            let deadline = now.addingSaturating(pendingTimeouts.addresses.saturatingNanoseconds)
            return settleAllocation(session.key, step, request: nil, deadline: deadline)
        }
    }

    // MARK: - Deadlines and cancellation (the daemon's event loop)

    /// The earliest deadline of a pending question (monotonic ns), to arm a
    /// timer for `expirePending`; nil when nothing is pending.
    public var nextPendingDeadline: UInt64? {
        deferred?.requests.values.map(\.deadline).min()
    }

    /// Settles every question whose deadline is at or before `now`: an
    /// answer that arrived in time but was not delivered yet is taken;
    /// otherwise authorization is refused and allocation fails (`ETIMEDOUT`),
    /// and the plugin's later answer is refused (-ETIMEDOUT). The outcomes
    /// are returned here, not passed to the completion.
    public func expirePending(now: UInt64) -> [PendingOutcome] {
        guard deferred != nil else { return [] }
        return dispatching {
            var outcomes: [PendingOutcome] = []
            let due = (deferred?.requests ?? [:]).filter { $0.value.deadline <= now }.keys.sorted()
            for id in due {
                // An answer that came in time may re-pend with the next plugin,
                // whose time is then up too.
                while let request = deferred?.requests[id], request.deadline <= now {
                    let answered = shared.pending.withLock { table -> PendingAnswerTable.Answer? in
                        let answer = table.answer(for: request.token)
                        _ = table.settle(request.token, as: answer == nil ? .timedOut : .answered)
                        return answer
                    }
                    deferred?.byToken[request.token] = nil
                    let outcome =
                        answered.map { proceed(id, request, $0) } ?? timeOut(id, request)
                    if let outcome { outcomes.append(outcome) }
                }
            }
            return outcomes
        }
    }

    /// Cancels the tunnel's pending authorization and its sessions' pending
    /// questions (the daemon drops the tunnel). No outcome follows; a late
    /// answer is refused (-ECANCELED). Also done when the tunnel is reported
    /// down or deleted.
    @discardableResult
    public func cancelPending(tunnel tunnelID: UInt16) -> [PendingRequestID] {
        dispatching {
            var cancelled: [PendingRequestID] = []
            for key in ledger.sessionKeys(inTunnel: tunnelID) { cancelled += cancelRequests(of: key) }
            return cancelled + cancelRequests(of: tunnelID)
        }
    }

    /// Cancels the session's pending authorization and address allocation.
    /// Also done when the session is reported down or deleted.
    @discardableResult
    public func cancelPending(tunnel tunnelID: UInt16, session sessionID: UInt16) -> [PendingRequestID] {
        dispatching { cancelRequests(of: LifecycleLedger.SessionKey(tunnelID: tunnelID, sessionID: sessionID)) }
    }

    // MARK: - Answers (the drain closure, on the event loop)

    /// Takes the answers plugins gave since the last call and hands each
    /// finished question to the completion.
    func deliverAnswers() {
        guard deferred != nil else { return }
        guard dispatchDepth == 0 else {
            // The daemon's deliver ran us inside a host call: the host takes
            // the answers when that call returns.
            shared.drainAfterDispatch()
            return
        }
        let outcomes = dispatching { () -> [PendingOutcome] in
            let answers = shared.pending.withLock { table -> [(UInt64, PendingAnswerTable.Answer)] in
                table.answeredIDs.compactMap { token in
                    table.settle(token, as: .answered)?.answer.map { (token, $0) }
                }
            }
            var outcomes: [PendingOutcome] = []
            for (token, answer) in answers {
                guard let id = deferred?.byToken.removeValue(forKey: token), let request = deferred?.requests[id]
                else { continue }
                if let outcome = proceed(id, request, answer) { outcomes.append(outcome) }
            }
            return outcomes
        }
        for outcome in outcomes { deferred?.completion(outcome) }
    }

    // MARK: - Internals

    func authorize<Key: Hashable, Entry: LifecycleEntry>(
        _ table: WritableKeyPath<LifecycleLedger, [Key: Entry]>, _ key: Key, _ info: Entry.Info,
        subject: DeferredDecisions.Subject, label: String, hook: KeyPath<ol2tp_hooks_t, AskHook?>, now: UInt64
    ) -> AdmissionVerdict {
        guard var entry = ledger[keyPath: table][key] else {
            return .refuse(hostRefused("\(label) was never reported created"))
        }
        if let refusal = entry.refusal { return .refuse(refusal) }
        if let pending = entry.pending { return .pending(pending) }
        guard entry.phase == .created else {
            return .refuse(hostRefused("\(label) is past authorization (\(entry.phase))"))
        }
        entry.info = info
        ledger[keyPath: table][key] = entry
        let step = ask(hook, entry.audience, info.snapshot(in: ledger), deferrable: true)
        let deadline = now.addingSaturating(pendingTimeouts.authorize.saturatingNanoseconds)
        return settleAuthorization(table, key, subject: subject, step, request: nil, deadline: deadline)
    }

    /// Records what a chain step came to: a decision clears the pending
    /// request, a new pend (re)registers it under the same daemon id.
    func settleAuthorization<Key: Hashable, Entry: LifecycleEntry>(
        _ table: WritableKeyPath<LifecycleLedger, [Key: Entry]>, _ key: Key, subject: DeferredDecisions.Subject,
        _ step: AskStep, request: PendingRequestID?, deadline: UInt64
    ) -> AdmissionVerdict {
        switch step {
        case .accepted:
            forget(request)
            ledger[keyPath: table][key]?.pending = nil
            return .accept
        case .refused(let refusal, _):
            forget(request)
            ledger[keyPath: table][key]?.pending = nil
            ledger[keyPath: table][key]?.refusal = refusal
            return .refuse(refusal)
        case .pending(let token, let registration, let remaining):
            let id = register(
                request, subject: subject, deadline: deadline, token: token, registration: registration,
                remaining: remaining)
            ledger[keyPath: table][key]?.pending = id
            return .pending(id)
        }
    }

    func settleAllocation(
        _ key: LifecycleLedger.SessionKey, _ step: AllocationStep, request: PendingRequestID?, deadline: UInt64
    ) -> AddressVerdict {
        switch step {
        case .settled(let result):
            forget(request)
            ledger.sessions[key]?.addressRequest = nil
            return .settled(result)
        case .pending(let token, let registration, let remaining):
            let id = register(
                request, subject: .addresses(key), deadline: deadline, token: token, registration: registration,
                remaining: remaining)
            ledger.sessions[key]?.addressRequest = id
            return .pending(id)
        }
    }

    private func register(
        _ existing: PendingRequestID?, subject: DeferredDecisions.Subject, deadline: UInt64, token: UInt64,
        registration: Int, remaining: [Int]
    ) -> PendingRequestID {
        let id =
            existing
            ?? {
                defer { deferred?.nextID += 1 }
                return PendingRequestID(rawValue: deferred?.nextID ?? 0)
            }()
        deferred?.requests[id] = .init(
            subject: subject, deadline: deadline, token: token, registration: registration, remaining: remaining)
        deferred?.byToken[token] = id
        return id
    }

    private func forget(_ id: PendingRequestID?) {
        guard let id, let request = deferred?.requests.removeValue(forKey: id) else { return }
        deferred?.byToken[request.token] = nil
    }

    /// A plugin's answer arrived (its token is already settled): continue or
    /// finish the chain. Returns the outcome when the question is finished.
    func proceed(_ id: PendingRequestID, _ request: DeferredDecisions.Request, _ answer: PendingAnswerTable.Answer)
        -> PendingOutcome?
    {
        let plugin = registrations[request.registration].pluginName
        switch (request.subject, answer) {
        case (.tunnel(let tunnelID), .decision(let verdict, let result, let error, let reason)):
            guard let entry = ledger.tunnels[tunnelID], entry.pending == id else { return dropped(id) }
            let step =
                verdict == Int32(OL2TP_ACCEPT)
                ? ask(\.tunnel_authorize, request.remaining, entry.info.snapshot(in: ledger), deferrable: true)
                : .refused(refusal(plugin, result, error, reason), asked: 0)
            let verdict = settleAuthorization(
                \.tunnels, tunnelID, subject: request.subject, step, request: id, deadline: request.deadline)
            return decision(verdict).map { .tunnel(id, tunnelID: tunnelID, $0) }
        case (.session(let key), .decision(let verdict, let result, let error, let reason)):
            guard let entry = ledger.sessions[key], entry.pending == id else { return dropped(id) }
            let step =
                verdict == Int32(OL2TP_ACCEPT)
                ? ask(\.session_authorize, request.remaining, entry.info.snapshot(in: ledger), deferrable: true)
                : .refused(refusal(plugin, result, error, reason), asked: 0)
            let verdict = settleAuthorization(
                \.sessions, key, subject: request.subject, step, request: id, deadline: request.deadline)
            return decision(verdict).map { .session(id, tunnelID: key.tunnelID, sessionID: key.sessionID, $0) }
        case (.addresses(let key), .addresses(let status, let local, let peer, let reason)):
            guard ledger.sessions[key]?.addressRequest == id else { return dropped(id) }
            let step: AllocationStep
            if status == Int32(OL2TP_CLAIMED) {
                step = .settled(.allocated(claim(key, by: request.registration, local: local, peer: peer)))
            } else if status == Int32(OL2TP_DECLINE) {
                step = allocate(key, request.remaining, deferrable: true)
            } else {
                if !reason.isEmpty { shared.log(PluginLogMessage(plugin: plugin, level: .error, message: reason)) }
                step = .settled(.failed(plugin: plugin, errno: -status))
            }
            guard
                case .settled(let result) = settleAllocation(key, step, request: id, deadline: request.deadline)
            else { return nil }
            return .addresses(id, tunnelID: key.tunnelID, sessionID: key.sessionID, result)
        default:
            // The table checks the kind when the plugin answers.
            return dropped(id)
        }
    }

    /// The question's object is no longer waiting for it (not expected:
    /// teardown cancels): forget it, so no deadline is left behind.
    private func dropped(_ id: PendingRequestID) -> PendingOutcome? {
        forget(id)
        return nil
    }

    /// No answer by the deadline: refuse, or fail the allocation.
    private func timeOut(_ id: PendingRequestID, _ request: DeferredDecisions.Request) -> PendingOutcome? {
        let plugin = registrations[request.registration].pluginName
        switch request.subject {
        case .tunnel(let tunnelID):
            let seconds = pendingTimeouts.authorize
            let refusal = PluginRefusal(plugin: plugin, reason: "no answer from plugin \(plugin) within \(seconds)")
            warn("tunnel \(tunnelID): \(refusal.reason): refused")
            _ = settleAuthorization(
                \.tunnels, tunnelID, subject: request.subject, .refused(refusal, asked: 0), request: id,
                deadline: request.deadline)
            return .tunnel(id, tunnelID: tunnelID, .refuse(refusal))
        case .session(let key):
            let refusal = PluginRefusal(
                plugin: plugin, reason: "no answer from plugin \(plugin) within \(pendingTimeouts.authorize)")
            warn("session \(key.tunnelID)/\(key.sessionID): \(refusal.reason): refused")
            _ = settleAuthorization(
                \.sessions, key, subject: request.subject, .refused(refusal, asked: 0), request: id,
                deadline: request.deadline)
            return .session(id, tunnelID: key.tunnelID, sessionID: key.sessionID, .refuse(refusal))
        case .addresses(let key):
            warn(
                "session \(key.tunnelID)/\(key.sessionID): no addresses from plugin \(plugin) within "
                    + "\(pendingTimeouts.addresses): allocation failed")
            let result = AddressAllocationResult.failed(plugin: plugin, errno: ETIMEDOUT)
            _ = settleAllocation(key, .settled(result), request: id, deadline: request.deadline)
            return .addresses(id, tunnelID: key.tunnelID, sessionID: key.sessionID, result)
        }
    }

    private func refusal(_ plugin: String, _ result: UInt16, _ error: UInt16, _ reason: String) -> PluginRefusal {
        PluginRefusal(
            plugin: plugin, reason: reason.isEmpty ? "refused by plugin \(plugin)" : reason,
            resultCode: result == 0 ? nil : result, errorCode: error == 0 ? nil : error)
    }

    private func decision(_ verdict: AdmissionVerdict) -> PluginDecision? {
        switch verdict {
        case .accept: return .accept
        case .refuse(let refusal): return .refuse(refusal)
        case .pending: return nil
        }
    }

    /// A hook took a request id but did not return OL2TP_PENDING: the id is void.
    func voidRequest(_ token: UInt64) {
        _ = shared.pending.withLock { $0.settle(token, as: .void) }
    }

    /// Cancels the pending questions about a tunnel itself.
    @discardableResult
    func cancelRequests(of tunnelID: UInt16) -> [PendingRequestID] {
        guard let id = ledger.tunnels[tunnelID]?.pending else { return [] }
        ledger.tunnels[tunnelID]?.pending = nil
        cancel(id)
        return [id]
    }

    /// Cancels a session's pending authorization and address allocation.
    @discardableResult
    func cancelRequests(of key: LifecycleLedger.SessionKey) -> [PendingRequestID] {
        guard let entry = ledger.sessions[key] else { return [] }
        let ids = [entry.pending, entry.addressRequest].compactMap { $0 }
        ledger.sessions[key]?.pending = nil
        ledger.sessions[key]?.addressRequest = nil
        for id in ids { cancel(id) }
        return ids
    }

    private func cancel(_ id: PendingRequestID) {
        guard let request = deferred?.requests.removeValue(forKey: id) else { return }
        deferred?.byToken[request.token] = nil
        let settled = shared.pending.withLock { $0.settle(request.token, as: .cancelled) }
        // The plugin was told its addresses were taken (decide_ipv4 returned
        // 0) but the session went before they were used: it must free them.
        if case .addresses(let key) = request.subject, case .addresses(let status, _, _, _)? = settled?.answer,
            status == Int32(OL2TP_CLAIMED), let entry = ledger.sessions[key]
        {
            notify(\.ip_release, [request.registration], entry.info.snapshot(in: ledger))
        }
    }
}

extension UInt64 {
    func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

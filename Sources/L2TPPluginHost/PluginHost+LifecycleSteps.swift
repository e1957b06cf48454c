import COpenL2TPPlugin

/// What a tunnel and a session have in common on their way from created to
/// down, so that the authorize and up steps are written once for both.
protocol LifecycleEntry {
    associatedtype Info: SnapshotSource
    var info: Info { get set }
    var phase: LifecycleLedger.Phase { get set }
    var audience: [Int] { get }
    var refusal: PluginRefusal? { get set }
    var pending: PendingRequestID? { get set }
}

/// Something the host can show to plugins as a handle.
protocol SnapshotSource {
    /// Sessions also show their tunnel's fields (ABI 1.2), from the ledger.
    func snapshot(in ledger: LifecycleLedger) -> Snapshot
}

extension TunnelInfo {
    func snapshot(in ledger: LifecycleLedger) -> Snapshot { snapshot }
}

extension SessionInfo {
    func snapshot(in ledger: LifecycleLedger) -> Snapshot { snapshot(in: ledger, overriding: [:]) }

    func snapshot(in ledger: LifecycleLedger, overriding overrides: [String: String]) -> Snapshot {
        snapshot(overriding: overrides, tunnel: ledger.tunnels[tunnelID]?.info)
    }
}

extension TunnelInfo: SnapshotSource {}
extension SessionInfo: SnapshotSource {}
extension LifecycleLedger.TunnelEntry: LifecycleEntry {}
extension LifecycleLedger.SessionEntry: LifecycleEntry {}

extension PluginHost {
    /// Asks the entry's audience whether to accept it; first refusal wins and
    /// is remembered, so asking again gives the same answer. Only between
    /// created and up.
    func authorizeEntry<Key: Hashable, Entry: LifecycleEntry>(
        _ table: WritableKeyPath<LifecycleLedger, [Key: Entry]>, _ key: Key, _ info: Entry.Info, label: String,
        hook: KeyPath<ol2tp_hooks_t, AskHook?>
    ) -> PluginDecision {
        guard var entry = ledger[keyPath: table][key] else {
            return hostRefusal("\(label) was never reported created")
        }
        if let refusal = entry.refusal { return .refuse(refusal) }
        if entry.pending != nil {
            return hostRefusal("\(label) has a deferred authorization pending; asked synchronously")
        }
        guard entry.phase == .created else {
            return hostRefusal("\(label) is past authorization (\(entry.phase))")
        }
        entry.info = info
        let outcome = decide(hook, entry.audience, info.snapshot(in: ledger))
        entry.refusal = outcome.refusal
        ledger[keyPath: table][key] = entry
        return outcome.refusal.map(PluginDecision.refuse) ?? .accept
    }

    /// Delivers up once, only after created and only if nobody refused.
    func bringEntryUp<Key: Hashable, Entry: LifecycleEntry>(
        _ table: WritableKeyPath<LifecycleLedger, [Key: Entry]>, _ key: Key, _ info: Entry.Info, label: String,
        hook: KeyPath<ol2tp_hooks_t, NotifyHook?>
    ) {
        guard var entry = ledger[keyPath: table][key] else {
            return warn("\(label) up before created: not delivered")
        }
        guard entry.phase == .created, entry.refusal == nil, entry.pending == nil else {
            let state =
                entry.refusal != nil
                ? "refused" : entry.pending != nil ? "its authorization is pending" : "\(entry.phase)"
            return warn("\(label) up while \(state): not delivered")
        }
        entry.info = info
        entry.phase = .up
        ledger[keyPath: table][key] = entry
        notify(hook, entry.audience, info.snapshot(in: ledger))
    }
}

import L2TPConfig

/// The four kinds of named profiles with their values, as the daemon holds
/// them. Values not set in a profile fall back to the parameter table's
/// default, so a profile stores only what the operator changed (which is also
/// what `config save` writes).
///
/// This is the daemon's adapter over L2TPConfig's tables; when L2TPConfig's
/// `ProfileStore` lands it replaces the storage here, the API stays.
public struct ProfileSet: Hashable, Sendable {
    public typealias Values = [ParameterName: ConfigValue]

    private var profiles: [ProfileKind: [String: Values]]

    public static let defaultName = "default"

    /// The four built-in `default` profiles, empty (all table defaults).
    public init() {
        profiles = [:]
        for kind in ProfileKind.allCases { profiles[kind] = [Self.defaultName: [:]] }
    }

    public func names(_ kind: ProfileKind) -> [String] { (profiles[kind] ?? [:]).keys.sorted() }

    public func exists(_ kind: ProfileKind, _ name: String) -> Bool { profiles[kind]?[name] != nil }

    /// Values the operator set in the profile (not the defaults).
    public func values(_ kind: ProfileKind, _ name: String) -> Values? { profiles[kind]?[name] }

    /// The effective value of a parameter: the profile's, else the table default.
    public func value(_ name: ParameterName, in kind: ProfileKind, profile: String) -> ConfigValue {
        if let set = profiles[kind]?[profile]?[name], set != .notSet { return set }
        if profile != Self.defaultName, let inherited = profiles[kind]?[Self.defaultName]?[name], inherited != .notSet {
            // A named profile starts from the `default` profile of its kind.
            return inherited
        }
        return ParameterTables.profile(kind).first { $0.name == name }?.defaultValue ?? .notSet
    }

    // MARK: - Changes

    public mutating func create(_ kind: ProfileKind, _ name: String, values: Values) throws(DaemonError) {
        guard !exists(kind, name) else { throw .invalidCommand("\(kind.rawValue) profile '\(name)' already exists") }
        profiles[kind, default: [:]][name] = filtered(kind, values)
    }

    public mutating func modify(_ kind: ProfileKind, _ name: String, values: Values) throws(DaemonError) {
        guard exists(kind, name) else { throw .notFound("\(kind.rawValue) profile '\(name)'") }
        for (key, value) in filtered(kind, values) {
            if value == .notSet {
                profiles[kind]![name]![key] = nil
            } else {
                profiles[kind]![name]![key] = value
            }
        }
    }

    public mutating func delete(_ kind: ProfileKind, _ name: String) throws(DaemonError) {
        guard name != Self.defaultName else {
            throw .invalidCommand("the default \(kind.rawValue) profile cannot be deleted (modify it instead)")
        }
        guard exists(kind, name) else { throw .notFound("\(kind.rawValue) profile '\(name)'") }
        profiles[kind]![name] = nil
    }

    public mutating func unset(_ kind: ProfileKind, _ name: String, parameters: [ParameterName]) throws(DaemonError) {
        guard exists(kind, name) else { throw .notFound("\(kind.rawValue) profile '\(name)'") }
        for parameter in parameters { profiles[kind]![name]![parameter] = nil }
    }

    /// Keeps only parameters the profile kind holds (commands also carry `profile_name`).
    private func filtered(_ kind: ProfileKind, _ values: Values) -> Values {
        let known = Set(ParameterTables.profile(kind).map(\.name))
        return values.filter { known.contains($0.key) }
    }

    // MARK: - Peer profile selection

    /// The peer profile for an incoming SCCRQ (openl2tp-interface.md, "which
    /// one applies"): a profile named like the peer's Host Name AVP; else an
    /// exact `peer_ipaddr`; else the longest matching `peer_ipaddr`/`netmask`;
    /// else `default`.
    public func peerProfile(hostName: String?, address: IPv4Address) -> String {
        if let hostName, !hostName.isEmpty, exists(.peer, hostName) { return hostName }
        var best: (name: String, prefix: Int)? = nil
        for name in names(.peer) {
            guard let peerAddress = value(.peerIPAddress, in: .peer, profile: name).ipv4Value else { continue }
            let prefix = value(.netmask, in: .peer, profile: name).netmaskValue?.prefixLength ?? 32
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
            guard peerAddress.value & mask == address.value & mask else { continue }
            if best == nil || prefix > best!.prefix { best = (name, prefix) }
        }
        return best?.name ?? Self.defaultName
    }
}

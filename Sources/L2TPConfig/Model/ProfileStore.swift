/// The four kinds of profile, each always holding its built-in `default`.
///
/// Invariants:
/// - the `default` profiles exist; they can be modified and unset, never deleted;
/// - in `.immediate` reference mode (l2tpconfig), a profile naming another
///   profile that does not exist is refused at create/modify time; the config
///   file loader uses `.deferred` and checks `danglingReferences()` once the
///   whole file is read, so profiles can appear in any order;
/// - a profile still named by another profile cannot be deleted.
public struct ProfileStore: Hashable, Sendable {
    public enum ReferenceCheck: Sendable { case immediate, deferred }

    public private(set) var tunnelProfiles: [String: TunnelProfile] = ["default": TunnelProfile(name: "default")]
    public private(set) var sessionProfiles: [String: SessionProfile] = ["default": SessionProfile(name: "default")]
    public private(set) var pppProfiles: [String: PPPProfile] = ["default": PPPProfile(name: "default")]
    public private(set) var peerProfiles: [String: PeerProfile] = ["default": PeerProfile(name: "default")]

    public init() {}

    // MARK: - Lookup

    public func tunnelProfile(_ name: String) -> TunnelProfile? { tunnelProfiles[name] }
    public func sessionProfile(_ name: String) -> SessionProfile? { sessionProfiles[name] }
    public func pppProfile(_ name: String) -> PPPProfile? { pppProfiles[name] }
    public func peerProfile(_ name: String) -> PeerProfile? { peerProfiles[name] }

    public func contains(_ kind: ProfileKind, _ name: String) -> Bool {
        switch kind {
        case .tunnel: return tunnelProfiles[name] != nil
        case .session: return sessionProfiles[name] != nil
        case .ppp: return pppProfiles[name] != nil
        case .peer: return peerProfiles[name] != nil
        }
    }

    /// Profile names of a kind, `default` first, then sorted.
    public func names(_ kind: ProfileKind) -> [String] {
        let all: [String]
        switch kind {
        case .tunnel: all = Array(tunnelProfiles.keys)
        case .session: all = Array(sessionProfiles.keys)
        case .ppp: all = Array(pppProfiles.keys)
        case .peer: all = Array(peerProfiles.keys)
        }
        return all.sorted { ($0 == "default" ? 0 : 1, $0) < ($1 == "default" ? 0 : 1, $1) }
    }

    /// The parameters of one profile that differ from defaults.
    public func explicitValues(_ kind: ProfileKind, _ name: String) -> [ParameterName: ConfigValue]? {
        switch kind {
        case .tunnel: return tunnelProfiles[name]?.explicitValues
        case .session: return sessionProfiles[name]?.explicitValues
        case .ppp: return pppProfiles[name]?.explicitValues
        case .peer: return peerProfiles[name]?.explicitValues
        }
    }

    // MARK: - Changes

    /// Creates a profile with the given parameters (others at their defaults).
    public mutating func create(
        _ kind: ProfileKind, name: String, values: [ParameterName: ConfigValue] = [:],
        references: ReferenceCheck = .immediate
    ) throws(ConfigError) {
        try checkName(name)
        guard !contains(kind, name) else { throw .profileExists(kind, name) }
        if references == .immediate { try checkReferences(kind, name, values) }
        try update(kind, name, creating: true) { (profile: inout any MutableConfigurationRecord) throws(ConfigError) in
            try profile.apply(values, what: "\(kind.rawValue) profile create")
        }
    }

    /// Changes the given parameters of an existing profile; `.notSet` resets one.
    public mutating func modify(
        _ kind: ProfileKind, name: String, values: [ParameterName: ConfigValue],
        references: ReferenceCheck = .immediate
    ) throws(ConfigError) {
        guard contains(kind, name) else { throw .profileNotFound(kind, name) }
        if references == .immediate { try checkReferences(kind, name, values) }
        try update(kind, name, creating: false) { (profile: inout any MutableConfigurationRecord) throws(ConfigError) in
            try profile.apply(values, what: "\(kind.rawValue) profile modify")
        }
    }

    /// Resets the named parameters to their defaults.
    public mutating func unset(_ kind: ProfileKind, name: String, parameters: [ParameterName]) throws(ConfigError) {
        guard contains(kind, name) else { throw .profileNotFound(kind, name) }
        try update(kind, name, creating: false) { (profile: inout any MutableConfigurationRecord) throws(ConfigError) in
            for parameter in parameters { try profile.set(parameter, .notSet, what: "\(kind.rawValue) profile unset") }
        }
    }

    /// Deletes a user profile. `default` and profiles still named by another
    /// profile are refused, so the store never holds a dangling reference
    /// created by a delete.
    public mutating func delete(_ kind: ProfileKind, name: String) throws(ConfigError) {
        if name == "default" { throw .profileNotDeletable(kind) }
        guard contains(kind, name) else { throw .profileNotFound(kind, name) }
        let users = referrers(of: kind, name)
        if !users.isEmpty { throw .profileInUse(kind, name, users: users) }
        switch kind {
        case .tunnel: tunnelProfiles[name] = nil
        case .session: sessionProfiles[name] = nil
        case .ppp: pppProfiles[name] = nil
        case .peer: peerProfiles[name] = nil
        }
    }

    // MARK: - References

    /// Every reference to a profile that does not exist, e.g. after a config
    /// file named a profile it never created. Errors name the referring profile
    /// and parameter; the loader adds file locations.
    public func danglingReferences() -> [DanglingReference] {
        var result: [DanglingReference] = []
        for kind in ProfileKind.allCases {
            for name in names(kind) {
                let values = explicitValues(kind, name) ?? [:]
                for (parameter, target) in ProfileKind.references(of: kind) {
                    guard let referenced = values[parameter]?.stringValue, !contains(target, referenced) else {
                        continue
                    }
                    result.append(
                        DanglingReference(
                            kind: kind, profile: name, parameter: parameter, target: target, missing: referenced))
                }
            }
        }
        return result
    }

    /// Profiles naming `kind`/`name`, described for error messages.
    public func referrers(of kind: ProfileKind, _ name: String) -> [String] {
        var users: [String] = []
        for userKind in ProfileKind.allCases {
            for userName in names(userKind) {
                let values = explicitValues(userKind, userName) ?? [:]
                for (parameter, target) in ProfileKind.references(of: userKind) where target == kind {
                    if values[parameter]?.stringValue == name {
                        users.append("\(userKind.rawValue) profile '\(userName)' (\(parameter.rawValue))")
                    }
                }
            }
        }
        return users
    }

    private func checkReferences(_ kind: ProfileKind, _ name: String, _ values: [ParameterName: ConfigValue])
        throws(ConfigError)
    {
        for (parameter, target) in ProfileKind.references(of: kind) {
            guard let referenced = values[parameter]?.stringValue, !contains(target, referenced) else { continue }
            throw .profileNotFound(
                target, referenced, referencedBy: "\(parameter.rawValue) of \(kind.rawValue) profile '\(name)'")
        }
    }

    private func checkName(_ name: String) throws(ConfigError) {
        if case .failure(let error) = ParameterTables.profileName(.tunnel).type.parse(name) {
            throw .invalidValue(parameter: "profile_name", reason: error.reason, at: nil)
        }
        if name.isEmpty { throw .invalidValue(parameter: "profile_name", reason: "a profile needs a name", at: nil) }
    }

    // MARK: - Generic update

    /// Applies `change` to a copy and stores it only if the change succeeded,
    /// so a failed command never leaves a half-modified profile behind.
    private mutating func update(
        _ kind: ProfileKind, _ name: String, creating: Bool,
        _ change: (inout any MutableConfigurationRecord) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        switch kind {
        case .tunnel: tunnelProfiles[name] = try updated(tunnelProfiles[name] ?? TunnelProfile(name: name), change)
        case .session: sessionProfiles[name] = try updated(sessionProfiles[name] ?? SessionProfile(name: name), change)
        case .ppp: pppProfiles[name] = try updated(pppProfiles[name] ?? PPPProfile(name: name), change)
        case .peer: peerProfiles[name] = try updated(peerProfiles[name] ?? PeerProfile(name: name), change)
        }
    }

    private func updated<P: Profile & MutableConfigurationRecord>(
        _ profile: P,
        _ change: (inout any MutableConfigurationRecord) throws(ConfigError) -> Void
    ) throws(ConfigError) -> P {
        var record: any MutableConfigurationRecord = profile
        try change(&record)
        guard let result = record as? P else {
            throw .syntax("internal error: \(P.kind.rawValue) profile '\(profile.name)' changed type", at: nil)
        }
        return result
    }
}

/// A named set of parameters of one kind. Each kind has a built-in profile
/// named `default`.
public protocol Profile: ConfigurationRecord {
    static var kind: ProfileKind { get }
    var name: String { get }
    init(name: String)
}

extension TunnelProfile: MutableConfigurationRecord {}
extension SessionProfile: MutableConfigurationRecord {}
extension PPPProfile: MutableConfigurationRecord {}
extension PeerProfile: MutableConfigurationRecord {}

extension Profile {
    /// The built-in profile's name.
    public static var defaultName: String { "default" }

    /// Profile-name parameters of this kind and the kind of profile each names.
    /// Used for reference checks in `ProfileStore`.
    public static var references: [(parameter: ParameterName, target: ProfileKind)] {
        ProfileKind.references(of: kind)
    }
}

extension ProfileKind {
    static func references(of kind: ProfileKind) -> [(parameter: ParameterName, target: ProfileKind)] {
        switch kind {
        case .tunnel: return [(.peerProfileName, .peer), (.sessionProfileName, .session), (.pppProfileName, .ppp)]
        case .session: return [(.pppProfileName, .ppp)]
        case .ppp: return []
        case .peer: return [(.tunnelProfileName, .tunnel), (.sessionProfileName, .session), (.pppProfileName, .ppp)]
        }
    }
}

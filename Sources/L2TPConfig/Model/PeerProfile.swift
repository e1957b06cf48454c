/// A peer profile: chosen for a peer by name or address, it names the
/// tunnel, session and PPP profiles for that peer.
public struct PeerProfile: Profile {
    public static let kind = ProfileKind.peer
    public static let parameterSpecs = ParameterTables.peerProfile
    public let name: String
    public internal(set) var explicitValues: [ParameterName: ConfigValue] = [:]

    public init(name: String) {
        self.name = name
    }

    public var isDefault: Bool { name == "default" }

    // MARK: - Parameters

    public var peerIPAddress: IPv4Address? { addressParameter(.peerIPAddress) }
    public var peerPort: Int { intParameter(.peerPort) }
    public var netmask: Netmask { netmaskParameter(.netmask) }
    public var lacLNS: PeerRole { choiceParameter(.lacLNS, PeerRole.allCases[0]) }
    public var tunnelProfileName: String { stringParameter(.tunnelProfileName) }
    public var sessionProfileName: String { stringParameter(.sessionProfileName) }
    public var pppProfileName: String { stringParameter(.pppProfileName) }
}

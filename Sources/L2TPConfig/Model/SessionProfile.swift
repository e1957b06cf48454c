/// A session profile: defaults for sessions. Also the effective settings of one
/// session once request overrides are applied.
public struct SessionProfile: Profile {
    public static let kind = ProfileKind.session
    public static let parameterSpecs = ParameterTables.sessionProfile
    public let name: String
    public internal(set) var explicitValues: [ParameterName: ConfigValue] = [:]

    public init(name: String) {
        self.name = name
    }

    public var isDefault: Bool { name == "default" }

    // MARK: - Parameters

    public var traceFlags: TraceFlags { traceFlagsParameter(.traceFlags) }
    public var sequencingRequired: Bool { boolParameter(.sequencingRequired) }
    public var useSequenceNumbers: Bool { boolParameter(.useSequenceNumbers) }
    public var reorderTimeout: Int { intParameter(.reorderTimeout) }
    public var sessionType: SessionType? { optionalChoiceParameter(.sessionType) }
    public var privateGroupID: String? { optionalStringParameter(.privateGroupID) }
    public var framingType: FramingType { choiceParameter(.framingType, FramingType.allCases[0]) }
    public var bearerType: BearerType { choiceParameter(.bearerType, BearerType.allCases[0]) }
    public var minimumBPS: Int { intParameter(.minimumBPS) }
    public var maximumBPS: Int { intParameter(.maximumBPS) }
    public var connectSpeed: ConnectSpeed { connectSpeedParameter(.connectSpeed) }
    public var usePPPProxy: Bool { boolParameter(.usePPPProxy) }
    public var pppProfileName: String? { optionalStringParameter(.pppProfileName) }
}

#if canImport(Glibc)
    import Glibc
#endif

/// The status word of every reply (`l2tp_reply.status`): 0 for success, a
/// negative errno, or the negated L2TP-specific code (500 and up), as OpenL2TP
/// 1.8 returned them. A struct so codes added later decode unchanged.
public struct ManagementStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = ManagementStatus(rawValue: 0)

    public var isSuccess: Bool { rawValue >= 0 }

    /// `-errno`, e.g. `.errno(ENOENT)`.
    public static func errno(_ value: Int32) -> ManagementStatus { .init(rawValue: -value) }

    public static let notFound = errno(ENOENT)
    public static let alreadyExists = errno(EEXIST)
    public static let invalidArgument = errno(EINVAL)
    public static let notPermitted = errno(EPERM)
    public static let busy = errno(EBUSY)
    public static let outOfMemory = errno(ENOMEM)
    public static let notSupported = errno(EOPNOTSUPP)

    // MARK: - L2TP-specific codes (`l2tp_rpc.x`, L2TP_ERR_*)

    /// A parameter name the command does not know.
    public static let unknownParameter = ManagementStatus(rawValue: -500)
    /// A parameter value that does not parse or is out of range.
    public static let badParameterValue = ManagementStatus(rawValue: -501)
    /// A required parameter (e.g. `dest_ipaddr`) is missing.
    public static let missingParameter = ManagementStatus(rawValue: -502)
    /// The parameter cannot be changed after creation.
    public static let parameterNotModifiable = ManagementStatus(rawValue: -503)
    public static let tunnelNotFound = ManagementStatus(rawValue: -504)
    public static let sessionNotFound = ManagementStatus(rawValue: -505)
    public static let profileNotFound = ManagementStatus(rawValue: -506)
    public static let peerNotFound = ManagementStatus(rawValue: -507)
    public static let tunnelExists = ManagementStatus(rawValue: -508)
    public static let sessionExists = ManagementStatus(rawValue: -509)
    public static let profileExists = ManagementStatus(rawValue: -510)
    /// The built-in `default` profiles can be modified but not deleted.
    public static let defaultProfileNotDeletable = ManagementStatus(rawValue: -511)
    /// `max_tunnels` or `max_sessions` reached.
    public static let limitReached = ManagementStatus(rawValue: -512)
    /// `deny_local_tunnel_creates` or the system is draining.
    public static let creationDenied = ManagementStatus(rawValue: -513)
    /// `hide_avps` without a `secret`, and similar conflicts between parameters.
    public static let conflictingParameters = ManagementStatus(rawValue: -514)
    /// The tunnel or session is not in a state that allows the operation.
    public static let wrongState = ManagementStatus(rawValue: -515)

    public var description: String {
        switch self {
        case .ok: "ok"
        case .unknownParameter: "unknown parameter"
        case .badParameterValue: "bad parameter value"
        case .missingParameter: "missing required parameter"
        case .parameterNotModifiable: "parameter cannot be modified"
        case .tunnelNotFound: "tunnel not found"
        case .sessionNotFound: "session not found"
        case .profileNotFound: "profile not found"
        case .peerNotFound: "peer not found"
        case .tunnelExists: "tunnel already exists"
        case .sessionExists: "session already exists"
        case .profileExists: "profile already exists"
        case .defaultProfileNotDeletable: "default profile cannot be deleted"
        case .limitReached: "limit reached"
        case .creationDenied: "creation denied"
        case .conflictingParameters: "conflicting parameters"
        case .wrongState: "operation not allowed in the current state"
        default:
            if rawValue < 0 && rawValue > -500, let text = strerror(-rawValue) {
                String(cString: text)
            } else {
                "status \(rawValue)"
            }
        }
    }
}

/// RFC 5531 9: why an accepted call did not succeed, or why a call was denied.

/// RFC 5531 9 `auth_stat`: why the server refused the credentials. A struct so
/// unknown values survive decoding.
public struct RPCAuthStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let ok = RPCAuthStatus(rawValue: 0)
    public static let badCredential = RPCAuthStatus(rawValue: 1)
    public static let rejectedCredential = RPCAuthStatus(rawValue: 2)
    public static let badVerifier = RPCAuthStatus(rawValue: 3)
    public static let rejectedVerifier = RPCAuthStatus(rawValue: 4)
    /// "rejected for security reasons": what a refused SO_PEERCRED uid gets.
    public static let tooWeak = RPCAuthStatus(rawValue: 5)
    public static let invalidResponse = RPCAuthStatus(rawValue: 6)
    public static let failed = RPCAuthStatus(rawValue: 7)

    public var description: String {
        switch self {
        case .ok: "AUTH_OK"
        case .badCredential: "AUTH_BADCRED (bad credential)"
        case .rejectedCredential: "AUTH_REJECTEDCRED (credential rejected)"
        case .badVerifier: "AUTH_BADVERF (bad verifier)"
        case .rejectedVerifier: "AUTH_REJECTEDVERF (verifier rejected)"
        case .tooWeak: "AUTH_TOOWEAK (rejected for security reasons)"
        case .invalidResponse: "AUTH_INVALIDRESP (invalid response verifier)"
        case .failed: "AUTH_FAILED (reason unknown)"
        default: "auth_stat \(rawValue)"
        }
    }
}

/// RFC 5531 9 `accepted_reply`: the outcome of a call the server authenticated.
public enum RPCAcceptedStatus: Hashable, Sendable {
    /// SUCCESS: the procedure's XDR-encoded results follow.
    case success(results: [UInt8])
    /// PROG_UNAVAIL: the program is not exported here.
    case programUnavailable
    /// PROG_MISMATCH: versions `low...high` are supported.
    case programMismatch(low: UInt32, high: UInt32)
    /// PROC_UNAVAIL: no such procedure in this version.
    case procedureUnavailable
    /// GARBAGE_ARGS: the arguments could not be decoded.
    case garbageArguments
    /// SYSTEM_ERR: e.g. memory allocation failure.
    case systemError

    var rawValue: UInt32 {
        switch self {
        case .success: 0
        case .programUnavailable: 1
        case .programMismatch: 2
        case .procedureUnavailable: 3
        case .garbageArguments: 4
        case .systemError: 5
        }
    }
}

/// RFC 5531 9 `rejected_reply`: the call was not executed.
public enum RPCRejectedStatus: Hashable, Sendable {
    /// RPC_MISMATCH: the RPC protocol version (`rpcvers`) is not 2.
    case rpcMismatch(low: UInt32, high: UInt32)
    /// AUTH_ERROR: the credentials were refused.
    case authError(RPCAuthStatus)
}

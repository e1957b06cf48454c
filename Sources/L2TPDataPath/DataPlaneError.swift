#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a datapath operation failed: a bad argument, an unknown tunnel or session,
/// or the kernel refusing a request (with the operation and errno named).
public struct DataPlaneError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidArgument(parameter: String, reason: String)
        case kernel(operation: String, errno: Int32)
        case unknownTunnel(UInt16)
        case unknownSession(tunnel: UInt16, session: UInt16)
        case duplicateTunnel(UInt16)
        case duplicateSession(tunnel: UInt16, session: UInt16)
        case unavailable(reason: String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// A parameter is out of range (for example tunnel id 0, RFC 2661 3.1).
    public static func invalidArgument(_ parameter: String, _ reason: String) -> Self {
        Self(.invalidArgument(parameter: parameter, reason: reason))
    }

    /// The kernel refused `operation` (for example "TUNNEL_CREATE") with `errno`.
    public static func kernel(_ operation: String, errno: Int32) -> Self {
        Self(.kernel(operation: operation, errno: errno))
    }

    public static func unknownTunnel(_ id: UInt16) -> Self { Self(.unknownTunnel(id)) }

    public static func unknownSession(tunnel: UInt16, session: UInt16) -> Self {
        Self(.unknownSession(tunnel: tunnel, session: session))
    }

    public static func duplicateTunnel(_ id: UInt16) -> Self { Self(.duplicateTunnel(id)) }

    public static func duplicateSession(tunnel: UInt16, session: UInt16) -> Self {
        Self(.duplicateSession(tunnel: tunnel, session: session))
    }

    /// The kernel datapath cannot be used at all (see `DataPlaneAvailability`).
    public static func unavailable(_ reason: String) -> Self { Self(.unavailable(reason: reason)) }

    /// The errno the kernel reported, if this is a kernel error.
    public var errno: Int32? {
        if case .kernel(_, let e) = code { return e }
        return nil
    }

    /// The operation the kernel refused, if this is a kernel error.
    public var operation: String? {
        if case .kernel(let op, _) = code { return op }
        return nil
    }

    public var description: String {
        switch code {
        case .invalidArgument(let p, let r):
            return "invalid \(p): \(r)"
        case .kernel(let op, let e):
            return "kernel rejected \(op): \(Self.errnoName(e)) (\(String(cString: strerror(e))))"
        case .unknownTunnel(let t):
            return "no datapath tunnel with local tunnel id \(t)"
        case .unknownSession(let t, let s):
            return "no datapath session \(s) in tunnel \(t)"
        case .duplicateTunnel(let t):
            return "datapath tunnel \(t) already exists"
        case .duplicateSession(let t, let s):
            return "datapath session \(s) in tunnel \(t) already exists"
        case .unavailable(let r):
            return "kernel datapath unavailable: \(r)"
        }
    }

    /// Symbolic names for the errnos the L2TP netlink family and PPPoL2TP sockets return.
    static func errnoName(_ e: Int32) -> String {
        switch e {
        case EPERM: return "EPERM"
        case ENOENT: return "ENOENT"
        case ENODEV: return "ENODEV"
        case EBADF: return "EBADF"
        case ENOMEM: return "ENOMEM"
        case EACCES: return "EACCES"
        case EBUSY: return "EBUSY"
        case EEXIST: return "EEXIST"
        case EINVAL: return "EINVAL"
        case ENOTCONN: return "ENOTCONN"
        case EPROTONOSUPPORT: return "EPROTONOSUPPORT"
        case EAFNOSUPPORT: return "EAFNOSUPPORT"
        case EOPNOTSUPP: return "EOPNOTSUPP"
        case EALREADY: return "EALREADY"
        case EISCONN: return "EISCONN"
        case EMSGSIZE: return "EMSGSIZE"
        case ENOTSOCK: return "ENOTSOCK"
        case EPROTO: return "EPROTO"
        default: return "errno \(e)"
        }
    }
}

import CL2TPKernel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Whether this host can carry L2TP data packets in the kernel, found once at
/// daemon start. When it cannot, the daemon still runs the control plane (tunnels
/// and sessions come up, nothing flows) and tells the operator why in one line.
public enum DataPlaneAvailability: Hashable, Sendable {
    case available
    case unavailable(reason: String)

    static let noFamilyReason =
        "kernel has no L2TP support (generic netlink family 'l2tp' not found; modprobe l2tp_ppp l2tp_netlink)"

    /// Checks the generic netlink family "l2tp" and PPPoL2TP sockets, in the
    /// calling thread's network namespace.
    public static func probe() -> DataPlaneAvailability {
        var handle: OpaquePointer?
        let rc = cl2tp_nl_open(&handle)
        if rc < 0 { return .unavailable(reason: familyReason(errno: -rc)) }
        cl2tp_nl_close(handle)
        // AF_PPPOX 24, PX_PROTO_OL2TP 1: only l2tp_ppp provides it.
        let fd = socket(24, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 1)
        if fd < 0 { return .unavailable(reason: socketReason(errno: errno)) }
        close(fd)
        return .available
    }

    static func familyReason(errno e: Int32) -> String {
        switch e {
        case ENOENT: return noFamilyReason
        case EPERM, EACCES:
            return "no permission for the kernel L2TP datapath (needs CAP_NET_ADMIN)"
        default:
            return "cannot use generic netlink family 'l2tp' (\(DataPlaneError.errnoName(e)))"
        }
    }

    static func socketReason(errno e: Int32) -> String {
        switch e {
        case EAFNOSUPPORT, EPROTONOSUPPORT, ESOCKTNOSUPPORT:
            return "kernel has no PPPoL2TP sockets (\(DataPlaneError.errnoName(e)); modprobe l2tp_ppp)"
        case EPERM, EACCES:
            return "no permission to open PPPoL2TP sockets (needs CAP_NET_ADMIN)"
        default:
            return "cannot open a PPPoL2TP socket (\(DataPlaneError.errnoName(e)))"
        }
    }

    public var isAvailable: Bool { self == .available }

    /// The data plane to run with: the kernel's when available, else one that
    /// carries nothing (control plane only).
    public func makeDataPlane() throws(DataPlaneError) -> any DataPlane {
        switch self {
        case .available: return try KernelDataPlane()
        case .unavailable: return NullDataPlane()
        }
    }

    /// The line the daemon logs at start.
    public var operatorMessage: String {
        switch self {
        case .available:
            return "kernel L2TP datapath available: data packets flow through the kernel"
        case .unavailable(let reason):
            return "\(reason): running the control plane only, data packets will not flow"
        }
    }
}

import ONCRPC

#if canImport(Glibc)
    import Glibc
#endif

/// Who may manage the daemon. Credentials in the RPC message (AUTH_SYS) are the
/// caller's own claim and are never trusted; only what the kernel reports counts.
public enum ManagementAuthorization {
    /// Root, or the uid the daemon runs as (so tests can run unprivileged).
    /// Unix-socket peers are identified by SO_PEERCRED, TCP peers on this host
    /// by the owner of their socket. Peers on other hosts have no kernel
    /// identity: they are allowed only when `allowRemote` (the daemon's `-R`)
    /// is set.
    public static func localAdministrator(allowRemote: Bool) -> RPCCallAcceptor.Authorization {
        let ownUID = geteuid()
        return { caller in
            if let credentials = caller.credentials {
                return credentials.uid == 0 || credentials.uid == ownUID
            }
            return caller.transport == .tcp && allowRemote && !caller.address.hasPrefix("127.")
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why the event socket could not be bound. Messages name the path.
public struct PPPEventSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case pathTooLong
        case notASocket(kind: String)
        case notOurs(owner: uid_t)
        case inUse
        case system(call: String, errno: Int32)
    }

    private let code: Code
    public let path: String

    private init(_ code: Code, _ path: String) {
        self.code = code
        self.path = path
    }

    /// Longer than sun_path (107 bytes).
    public static func pathTooLong(_ path: String) -> Self { .init(.pathTooLong, path) }
    /// Something other than a socket (a symlink, a file, a directory) is at
    /// the path: refused, never removed.
    public static func notASocket(_ path: String, kind: String) -> Self { .init(.notASocket(kind: kind), path) }
    /// A socket that belongs to another user is at the path: planted, since
    /// pppd and the daemon run as the same user. Refused, never removed.
    public static func notOurs(_ path: String, owner: uid_t) -> Self { .init(.notOurs(owner: owner), path) }
    /// A live process is bound to the path (a second daemon).
    public static func inUse(_ path: String) -> Self { .init(.inUse, path) }
    public static func system(_ path: String, call: String, errno: Int32) -> Self {
        .init(.system(call: call, errno: errno), path)
    }

    /// True when the path was refused because it is not a socket.
    public var isNotASocket: Bool { if case .notASocket = code { true } else { false } }
    /// True when the path holds a socket of another user.
    public var isNotOurs: Bool { if case .notOurs = code { true } else { false } }
    public var isInUse: Bool { code == .inUse }

    public var description: String {
        switch code {
        case .pathTooLong: "pppd event socket \(path): path longer than 107 bytes"
        case .notASocket(let kind):
            "pppd event socket \(path): a \(kind) is in the way; refusing to remove or follow it"
        case .notOurs(let owner):
            "pppd event socket \(path): a socket of uid \(owner), not ours (uid \(geteuid())), is in the way; refusing to remove it"
        case .inUse: "pppd event socket \(path): another process is bound to it (is another openl2tpd running?)"
        case .system(let call, let errno): "pppd event socket \(path): \(call): \(String(cString: strerror(errno)))"
        }
    }
}

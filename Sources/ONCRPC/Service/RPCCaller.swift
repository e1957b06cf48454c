/// Who sent a call, as the transport (not the caller) established it.
public struct RPCCaller: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: Hashable, Sendable {
        case unixSocket
        case tcp
    }

    /// Identity of the peer process from the kernel (SO_PEERCRED on a Unix
    /// socket; the socket owner for loopback TCP). nil when unknown, e.g. for
    /// remote TCP peers.
    public struct Credentials: Hashable, Sendable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
        public init(pid: Int32, uid: UInt32, gid: UInt32) {
            self.pid = pid
            self.uid = uid
            self.gid = gid
        }
    }

    public var transport: Transport
    public var credentials: Credentials?
    /// Printable peer address for logs ("127.0.0.1:40212", or the socket path).
    public var address: String

    public init(transport: Transport, credentials: Credentials?, address: String) {
        self.transport = transport
        self.credentials = credentials
        self.address = address
    }

    public var description: String {
        if let credentials {
            return "\(address) (pid \(credentials.pid), uid \(credentials.uid))"
        }
        return address
    }
}

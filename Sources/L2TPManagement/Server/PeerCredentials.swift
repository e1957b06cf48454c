import NIOCore
import ONCRPC

#if canImport(Glibc)
    import Glibc
#endif

/// Kernel-established identity of a management peer.
enum PeerCredentials {
    /// Linux `struct ucred` (socket(7) SO_PEERCRED): pid, uid, gid.
    struct UCred: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// SO_PEERCRED of a connected Unix socket: the credentials the peer had at
    /// connect time, which it cannot forge.
    static func unixPeer(of channel: any Channel) -> EventLoopFuture<RPCCaller.Credentials?> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let future: EventLoopFuture<UCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { RPCCaller.Credentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
            .recover { _ in nil }
    }

    /// For a TCP peer on this host, the uid owning the peer's socket, read
    /// from /proc/net/tcp (the kernel's view, like identd): the client's socket
    /// is the row whose local address is our remote and whose remote is our
    /// local. Looked up for every peer, not only 127.x: a local user who
    /// connects to one of the host's other addresses (possible with `-R`) must
    /// not pass for a remote peer. nil when no such row exists (a peer on
    /// another host).
    static func localTCPPeer(local: SocketAddress?, remote: SocketAddress?) -> RPCCaller.Credentials? {
        guard case .v4(let localAddress)? = local, case .v4(let remoteAddress)? = remote,
            let table = try? String(contentsOfProcFile: "/proc/net/tcp")
        else { return nil }
        let wantedLocal = procAddress(remoteAddress.address)
        let wantedRemote = procAddress(localAddress.address)
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            guard columns.count > 7, columns[1] == wantedLocal, columns[2] == wantedRemote,
                let uid = UInt32(columns[7])
            else { continue }
            return RPCCaller.Credentials(pid: 0, uid: uid, gid: 0)
        }
        return nil
    }

    /// /proc/net/tcp prints the address as the hex of the in-memory u32 and the
    /// port in host order: 127.0.0.1:8080 on little-endian is "0100007F:1F90".
    private static func procAddress(_ address: sockaddr_in) -> Substring {
        let hostAddress = String(address.sin_addr.s_addr, radix: 16, uppercase: true)
        let port = String(UInt16(bigEndian: address.sin_port), radix: 16, uppercase: true)
        return Substring(pad(hostAddress, to: 8) + ":" + pad(port, to: 4))
    }

    private static func pad(_ text: String, to width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension String {
    /// Reads a procfs file (size unknown in advance, so read until EOF).
    init(contentsOfProcFile path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "open \(path)") }
        defer { close(descriptor) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data.append(contentsOf: chunk[0..<count])
        }
        self = String(decoding: data, as: UTF8.self)
    }
}

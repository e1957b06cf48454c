import NIOCore
import PacketCapture

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The packet-capture trace (`--pcap FILE`): every control datagram sent or
/// received, wrapped in IPv4/UDP by PacketCapture so the file opens in
/// Wireshark and tshark decodes each AVP. Flushed per datagram: control
/// traffic is light and the file must be readable while the daemon runs.
public final class ControlPacketTrace {
    private let writer: PcapWriter
    public var path: String { writer.path }

    public init(path: String) throws(DaemonError) {
        do {
            writer = try PcapWriter(path: path)
        } catch {
            throw .configuration("--pcap: \(error)")
        }
    }

    public func record(_ datagram: ByteBuffer, peer: IPv4SocketAddress, local: IPv4SocketAddress, inbound: Bool) {
        let peerEndpoint = IPv4Endpoint(address: peer.address, port: peer.port)
        let localEndpoint = IPv4Endpoint(address: local.address, port: local.port)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let stamp = CaptureTimestamp(seconds: Int64(now.tv_sec), microseconds: Int32(now.tv_nsec / 1000))
        datagram.withUnsafeReadableBytes { bytes in
            try? writer.write(
                bytes, from: inbound ? peerEndpoint : localEndpoint,
                to: inbound ? localEndpoint : peerEndpoint, at: stamp)
        }
        writer.flush()
    }

    public func close() { writer.close() }
}

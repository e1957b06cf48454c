import CPcap
import OwnedFiles
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Writes UDP datagrams to a pcap file through libpcap, each wrapped in
/// IPv4 and UDP headers (LINKTYPE_RAW), so that captures open in tcpdump,
/// tshark and Wireshark. Used for the daemon's packet trace and as the
/// test oracle for the wire codec.
///
/// Thread-safe: writes are serialised by a mutex.
public final class PcapWriter: Sendable {
    private struct State {
        var pcap: OpaquePointer?
        var dumper: OpaquePointer?
        var identification: UInt16 = 0
    }

    private let state: Mutex<State>
    public let path: String

    /// Creates (or empties) the capture file at `path`, mode 0600: it holds
    /// challenge/response pairs and, with hidden AVPs, what an offline
    /// dictionary attack on the tunnel secret needs. The file is opened by
    /// `OwnedFile` (never through a symlink, never someone else's file), not
    /// by `pcap_dump_open`, which follows whatever is at the name.
    public init(path: String, snapLength: Int32 = 65535) throws(PacketCaptureError) {
        self.path = path
        let descriptor: Int32
        do {
            descriptor = try OwnedFile.create(path, mode: 0o600)
        } catch {
            throw PacketCaptureError(path: path, reason: error.reason)
        }
        guard let file = fdopen(descriptor, "w") else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw PacketCaptureError(path: path, reason: "fdopen: \(reason)")
        }
        // DLT_RAW on Linux; libpcap writes it as LINKTYPE_RAW (101).
        guard let pcap = pcap_open_dead(12, snapLength) else {
            fclose(file)
            throw PacketCaptureError(path: path, reason: "pcap_open_dead failed")
        }
        // On success the dumper owns `file` (pcap_dump_close closes it).
        guard let dumper = pcap_dump_fopen(pcap, file) else {
            let reason = String(cString: pcap_geterr(pcap))
            fclose(file)
            pcap_close(pcap)
            throw PacketCaptureError(path: path, reason: reason)
        }
        state = Mutex(State(pcap: pcap, dumper: dumper))
    }

    deinit { close() }

    /// Records one UDP datagram carrying `payload`.
    public func write(
        _ payload: UnsafeRawBufferPointer, from source: IPv4Endpoint, to destination: IPv4Endpoint,
        at timestamp: CaptureTimestamp
    ) throws(PacketCaptureError) {
        guard payload.count <= UDPDatagramFraming.maxPayload else {
            throw PacketCaptureError(path: path, reason: "datagram of \(payload.count) bytes exceeds IPv4 limit")
        }
        let result: String? = state.withLock { state in
            guard let dumper = state.dumper else { return "writer is closed" }
            state.identification &+= 1
            var packet = UDPDatagramFraming.headers(
                payload: payload, source: source, destination: destination, identification: state.identification)
            packet.append(contentsOf: payload)
            var header = pcap_pkthdr()
            header.ts.tv_sec = Int(timestamp.seconds)
            header.ts.tv_usec = Int(timestamp.microseconds)
            header.caplen = UInt32(packet.count)
            header.len = UInt32(packet.count)
            packet.withUnsafeBufferPointer { bytes in
                pcap_dump(
                    UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, bytes.baseAddress)
            }
            return nil
        }
        if let result { throw PacketCaptureError(path: path, reason: result) }
    }

    /// Convenience for byte arrays.
    public func write(
        _ payload: [UInt8], from source: IPv4Endpoint, to destination: IPv4Endpoint, at timestamp: CaptureTimestamp
    ) throws(PacketCaptureError) {
        var failure: PacketCaptureError?
        payload.withUnsafeBytes { bytes in
            do throws(PacketCaptureError) { try write(bytes, from: source, to: destination, at: timestamp) } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Pushes buffered records to the file.
    public func flush() {
        state.withLock { state in
            if let dumper = state.dumper { _ = pcap_dump_flush(dumper) }
        }
    }

    /// Flushes and closes the file; later writes throw. Idempotent.
    public func close() {
        state.withLock { state in
            if let dumper = state.dumper { pcap_dump_close(dumper) }
            if let pcap = state.pcap { pcap_close(pcap) }
            state.dumper = nil
            state.pcap = nil
        }
    }
}

/// A capture file could not be opened or written.
public struct PacketCaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "pcap \(path): \(reason)" }
}

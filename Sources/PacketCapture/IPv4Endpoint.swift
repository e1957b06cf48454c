#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 address and UDP port, as recorded in a capture.
public struct IPv4Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// Address in host order (e.g. 0x7F000001 for 127.0.0.1).
    public var address: UInt32
    public var port: UInt16

    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses dotted-quad text; nil if it is not exactly four octets.
    public init?(_ text: String, port: UInt16) {
        var value: UInt32 = 0
        var count = 0
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
            count += 1
        }
        guard count == 4 else { return nil }
        self.init(address: value, port: port)
    }

    public var description: String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF):\(port)"
    }
}

/// Capture timestamp (seconds and microseconds since the Unix epoch).
public struct CaptureTimestamp: Hashable, Sendable {
    public var seconds: Int64
    public var microseconds: Int32

    public init(seconds: Int64, microseconds: Int32 = 0) {
        self.seconds = seconds
        self.microseconds = microseconds
    }

    /// The current wall-clock time, for live traces.
    public static func now() -> CaptureTimestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return CaptureTimestamp(seconds: Int64(spec.tv_sec), microseconds: Int32(spec.tv_nsec / 1000))
    }
}

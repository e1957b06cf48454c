// What the plugin needs of ippoold's interface (docs/ippool_rpc.x), kept
// here so the .so does not link the pool model and the config grammar into
// openl2tpd a second time. IPPoolPluginTests run it against a real ippoold.

/// Program 300775 version 1 and the two procedures the plugin calls.
enum IPPoolProcedure: UInt32 {
    case addressAllocate = 11
    case addressFree = 12

    static let program: UInt32 = 300_775
    static let version: UInt32 = 1
    static let defaultSocketPath = "/run/ippoold/ippoold.sock"
}

/// Dotted-quad text <-> host-order number, as the plugin ABI carries addresses.
struct IPv4: CustomStringConvertible {
    var value: UInt32

    init(_ value: UInt32) { self.value = value }

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let octet = UInt32(part),
                octet <= 255
            else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    var description: String { "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)" }
}

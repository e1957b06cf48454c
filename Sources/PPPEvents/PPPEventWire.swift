/// Constants of the datagram protocol pppd's `openl2tp.so` plugin speaks to
/// the daemon over `/tmp/openl2tp-event.sock` (docs/ppp.md).
///
/// Layout, all fields in the host's byte order (both ends share a machine):
/// header u32 signature, u16 message type, u16 length of the data that
/// follows; the data is a list of TLVs (u16 type, u16 value length, value),
/// each padded to a 4-byte boundary. A message is at most 512 bytes.
public enum PPPEventWire {
    /// The default path pppd's plugin connects to.
    public static let defaultSocketPath = "/tmp/openl2tp-event.sock"
    public static let signature: UInt32 = 0x6b6c_7831
    public static let headerLength = 8
    public static let tlvHeaderLength = 4
    public static let maximumMessageLength = 512

    /// Message types.
    public enum MessageType: UInt16, Sendable, CaseIterable {
        case null = 0
        case pppUpDown = 1
        case pppACCM = 2
    }

    /// TLV types (numbered from 0, in this order).
    public enum TLVType: UInt16, Sendable, CaseIterable {
        case tunnelID = 0
        case sessionID = 1
        /// Two u32: send ACCM, then receive ACCM.
        case accm = 2
        case pppUnit = 3
        /// NUL-terminated string, e.g. "ppp0\0".
        case interfaceName = 4
        case userName = 5
        /// u8: 1 up, 0 down.
        case state = 6
    }

    /// Rounds up to the next multiple of 4 (TLVs start on 4-byte boundaries).
    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }
}

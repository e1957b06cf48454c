import L2TPWire
import NIOCore

/// A flood's SCCRQ (RFC 2661 6.1): a complete, valid request from a LAC
/// that will never answer the SCCRP, so each one leaves the LNS a half-open
/// tunnel until its establish timer or retransmissions give up.
public enum FloodSCCRQ {
    /// - Parameter assignedTunnelID: a fresh non-zero id per SCCRQ, so that a
    ///   source sending again opens another tunnel rather than repeating one.
    public static func encoded(assignedTunnelID: UInt16, hostName: String) -> ByteBuffer {
        precondition(assignedTunnelID != 0, "RFC 2661 3.1: tunnel id 0 is reserved")
        let sccrq = ControlMessage(
            .sccrq, tunnelID: 0,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array(hostName.utf8)),
                .framingCapabilities([.synchronous, .asynchronous]), .assignedTunnelID(assignedTunnelID),
                .receiveWindowSize(4),
            ])
        // Nothing is hidden, so encoding cannot fail.
        return try! sccrq.encoded()
    }

    /// Replies a flood source may find waiting, by message type.
    public static func classify(_ bytes: ByteBuffer) -> MessageType? {
        (try? ControlMessage.decode(bytes))?.messageType
    }
}

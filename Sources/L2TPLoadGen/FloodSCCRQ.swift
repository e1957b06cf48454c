import L2TPWire
import NIOCore

/// A flood's SCCRQ (RFC 2661 6.1): a complete, valid request from a LAC
/// that will never answer the SCCRP, so each one leaves the LNS a half-open
/// tunnel until its establish timer or retransmissions give up.
///
/// Encoded once; each datagram is a copy with its own Assigned Tunnel ID
/// patched in, so that the flooder spends its time sending, not encoding
/// (it matters under emulation).
public struct FloodSCCRQ: Sendable {
    private let template: ByteBuffer
    /// Where the Assigned Tunnel ID value (RFC 2661 4.4.3) sits in `template`.
    private let assignedTunnelIDOffset: Int

    public init(hostName: String) {
        let sccrq = ControlMessage(
            .sccrq, tunnelID: 0,
            avps: [
                .protocolVersion(.rfc2661), .hostName(Array(hostName.utf8)),
                .framingCapabilities([.synchronous, .asynchronous]), .assignedTunnelID(1),
                .receiveWindowSize(4),
            ])
        // Nothing is hidden, so encoding cannot fail.
        template = try! sccrq.encoded()
        assignedTunnelIDOffset = Self.valueOffset(of: .assignedTunnelID, in: template)!
    }

    /// - Parameter assignedTunnelID: a fresh non-zero id per SCCRQ, so that a
    ///   source sending again opens another tunnel rather than repeating one.
    public func datagram(assignedTunnelID: UInt16) -> ByteBuffer {
        precondition(assignedTunnelID != 0, "RFC 2661 3.1: tunnel id 0 is reserved")
        var copy = template
        copy.setInteger(assignedTunnelID, at: copy.readerIndex + assignedTunnelIDOffset)
        return copy
    }

    /// Replies a flood source may find waiting, by message type.
    public static func classify(_ bytes: ByteBuffer) -> MessageType? {
        (try? ControlMessage.decode(bytes))?.messageType
    }

    /// The offset of an IETF AVP's value after the 12-octet control header
    /// (RFC 2661 4.1: 6-octet AVP header, length in the low 10 bits).
    private static func valueOffset(of type: AVPType, in message: ByteBuffer) -> Int? {
        var offset = L2TPHeader.controlHeaderLength
        while offset + 6 <= message.readableBytes {
            let base = message.readerIndex + offset
            let length = Int(message.getInteger(at: base, as: UInt16.self)! & 0x03ff)
            let vendor = message.getInteger(at: base + 2, as: UInt16.self)!
            if vendor == 0, message.getInteger(at: base + 4, as: UInt16.self)! == type.rawValue { return offset + 6 }
            guard length >= 6 else { return nil }
            offset += length
        }
        return nil
    }
}

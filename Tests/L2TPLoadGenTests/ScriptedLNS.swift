import L2TPControl
import L2TPLoadGen
import L2TPWire
import NIOCore

/// The far end of a `LoadTunnel` in tests: decodes what the LAC sends,
/// keeps its own Ns/Nr by hand and answers as each test scripts it.
struct ScriptedLNS {
    let tunnelID: UInt16 = 4321
    var peerTunnelID: UInt16 = 0
    var nextNs: UInt16 = 0
    var expectedNs: UInt16 = 0
    /// Every non-ZLB message the LAC sent, in order (retransmissions included).
    var received: [ControlMessage] = []
    var zlbs = 0

    /// Takes the LAC's datagrams; returns the messages that were not ZLBs.
    mutating func take(_ datagrams: [ByteBuffer]) throws -> [ControlMessage] {
        var new: [ControlMessage] = []
        for datagram in datagrams {
            let message = try ControlMessage.decode(datagram)
            if message.isZLB {
                zlbs += 1
                continue
            }
            if message.ns == expectedNs { expectedNs &+= 1 }
            if message.messageType == .sccrq { peerTunnelID = message.assignedTunnelID ?? 0 }
            received.append(message)
            new.append(message)
        }
        return new
    }

    /// A message to the LAC with the next Ns and the current Nr.
    mutating func send(_ type: MessageType, session: UInt16 = 0, _ avps: [AVP]) -> ByteBuffer {
        let message = ControlMessage(
            type, tunnelID: peerTunnelID, sessionID: session, ns: nextNs, nr: expectedNs, avps: avps)
        nextNs &+= 1
        return try! message.encoded()
    }

    func ack() -> ByteBuffer {
        try! ControlMessage.zlb(tunnelID: peerTunnelID, ns: nextNs, nr: expectedNs).encoded()
    }

    mutating func sccrp(window: UInt16 = 100) -> ByteBuffer {
        send(
            .sccrp,
            [
                .protocolVersion(.rfc2661), .framingCapabilities([.synchronous]), .hostName(Array("lns".utf8)),
                .assignedTunnelID(tunnelID), .receiveWindowSize(window),
            ])
    }

    mutating func cdn(session: UInt16, result: ResultCode.CDNResult) -> ByteBuffer {
        send(.cdn, session: session, [.resultCode(ResultCode(result)), .assignedSessionID(0)])
    }
}

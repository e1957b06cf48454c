import L2TPControl
import L2TPWire
import NIOCore

/// A hand-driven peer: builds exact control messages (with any Ns/Nr and
/// AVPs, valid or not) and decodes what the endpoint under test answers.
struct ScriptedPeer {
    let endpoint: L2TPEndpoint
    let address = PeerAddress.ipv4(198, 51, 100, 7, port: 1701)
    var now = L2TPInstant(nanoseconds: 5_000_000_000)
    var tunnelID: UInt16 = 4242
    /// The endpoint's tunnel id, learnt from its SCCRP.
    var remoteTunnelID: UInt16 = 0
    var ns: UInt16 = 0
    var nr: UInt16 = 0
    var secret: [UInt8]? = nil
    /// Answers the endpoint's admission requests at once; nil leaves them
    /// to the test (the `.admitTunnel` / `.admitSession` actions come back).
    var policy: (any L2TPEndpointPolicy)?

    init(endpoint: L2TPEndpoint, policy: (any L2TPEndpointPolicy)? = AcceptAllPolicy()) {
        self.endpoint = endpoint
        self.policy = policy
    }

    /// Sends raw bytes and returns the decoded control messages sent back
    /// (plus all actions).
    mutating func deliver(_ bytes: ByteBuffer) -> (replies: [ControlMessage], actions: [L2TPAction]) {
        var actions = endpoint.receive(bytes, from: address, now: now)
        if let policy { actions = endpoint.answering(actions, with: policy, now: now) }
        return (absorb(actions), actions)
    }

    /// Decodes the datagrams among `actions`, tracking Nr like a real peer.
    mutating func absorb(_ actions: [L2TPAction]) -> [ControlMessage] {
        var replies: [ControlMessage] = []
        for case .send(let bytes, _, _) in actions {
            guard let message = try? ControlMessage.decode(bytes, secret: secret) else { continue }
            if !message.isZLB, message.ns == nr { nr &+= 1 }
            if message.messageType == .sccrp, let id = message.assignedTunnelID { remoteTunnelID = id }
            replies.append(message)
        }
        return replies
    }

    /// Builds and sends a message with the next Ns.
    mutating func send(
        _ type: MessageType, sessionID: UInt16 = 0, _ avps: [AVP], extra: [AVPEntry] = [], tunnel: UInt16? = nil,
        nsOverride: UInt16? = nil, nrOverride: UInt16? = nil
    ) -> (replies: [ControlMessage], actions: [L2TPAction]) {
        var message = ControlMessage(
            type, tunnelID: tunnel ?? remoteTunnelID, sessionID: sessionID, ns: nsOverride ?? ns,
            nr: nrOverride ?? nr, avps: avps)
        message.avps += extra
        if nsOverride == nil { ns &+= 1 }
        return deliver(try! message.encoded())
    }

    mutating func sendZLB() -> [ControlMessage] {
        deliver(try! ControlMessage.zlb(tunnelID: remoteTunnelID, ns: ns, nr: nr).encoded()).replies
    }

    static func sccrqAVPs(tunnelID: UInt16, hostName: String = "scripted", window: UInt16 = 4) -> [AVP] {
        [
            .protocolVersion(.rfc2661), .hostName(Array(hostName.utf8)), .framingCapabilities([.synchronous]),
            .assignedTunnelID(tunnelID), .receiveWindowSize(window),
        ]
    }

    /// SCCRQ, SCCRP, SCCCN: leaves the endpoint's tunnel established.
    mutating func establish() -> TunnelID {
        _ = send(.sccrq, Self.sccrqAVPs(tunnelID: tunnelID), tunnel: 0)
        _ = send(.scccn, [])
        return remoteTunnelID
    }
}

extension Array where Element == ControlMessage {
    func first(_ type: MessageType) -> ControlMessage? { first { $0.messageType == type } }
    var types: [MessageType?] { map(\.messageType) }
}

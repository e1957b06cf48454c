import L2TPWire

/// Control connection states (RFC 2661 7.2.1). Each phase carries what only
/// it needs; the structs live in `States/`.
enum TunnelState {
    /// Responder created for an SCCRQ not yet processed.
    case idle
    /// SCCRQ received and reported (`.admitTunnel`): waiting for the
    /// caller's decision before SCCRP or StopCCN.
    case waitAdmission(WaitAdmissionState)
    /// We sent SCCRQ.
    case waitCtlReply(WaitCtlReplyState)
    /// We answered with SCCRP and wait for SCCCN.
    case waitCtlConn(WaitCtlConnState)
    case established
    /// StopCCN sent or received: only acknowledging until `freeAt`.
    case closing(ClosingState)

    var name: String {
        switch self {
        case .idle: "idle"
        case .waitAdmission: "wait-admission"
        case .waitCtlReply: "wait-ctl-reply"
        case .waitCtlConn: "wait-ctl-conn"
        case .established: "established"
        case .closing: "closing"
        }
    }
}

/// The public view of `TunnelState`.
public enum TunnelPhase: String, Hashable, Sendable {
    case idle, waitAdmission, waitCtlReply, waitCtlConn, established, closing
}

extension TunnelState {
    var phase: TunnelPhase {
        switch self {
        case .idle: .idle
        case .waitAdmission: .waitAdmission
        case .waitCtlReply: .waitCtlReply
        case .waitCtlConn: .waitCtlConn
        case .established: .established
        case .closing: .closing
        }
    }
}

/// What we learnt about the peer from its SCCRQ or SCCRP.
struct PeerTunnelInfo {
    var hostName: String
    var vendorName: String?
    var firmwareRevision: UInt16?
    var framingCapabilities: FramingCapabilities
    var bearerCapabilities: BearerCapabilities
    var protocolVersion: ProtocolVersion
    var receiveWindow: UInt16

    init(_ message: ControlMessage) {
        hostName = message.hostName ?? ""
        vendorName = message.vendorName
        firmwareRevision = message.firmwareRevision
        framingCapabilities = message.framingCapabilities ?? []
        bearerCapabilities = message.bearerCapabilities ?? []
        protocolVersion = message.protocolVersion ?? .rfc2661
        // RFC 2661 4.4.3: absent means 4.
        receiveWindow = message.receiveWindowSize ?? 4
    }
}

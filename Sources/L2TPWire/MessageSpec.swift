/// Which AVPs each control message must and may carry (RFC 2661 6.1-6.14).
///
/// One declarative table, checked in one place. Random Vector may appear in
/// any message (RFC 2661 4.4.1); vendor AVPs and unknown optional IETF AVPs
/// are always allowed (they were already screened for the M bit by the
/// decoder, RFC 2661 4.2).
public struct MessageSpec: Sendable {
    public let messageType: MessageType
    /// Besides Message Type, which every message carries first.
    public let required: [AVPType]
    public let optional: [AVPType]

    /// How `validate` treats an IETF AVP the spec does not list.
    public enum UnexpectedAVPPolicy: Sendable {
        /// Throw `.unexpectedAVP` (strict RFC reading).
        case reject
        /// Accept it; useful with peers that add harmless extras.
        case ignore
    }

    public static func spec(for type: MessageType) -> MessageSpec {
        switch type {
        case .sccrq:
            MessageSpec(
                type, required: [.protocolVersion, .hostName, .framingCapabilities, .assignedTunnelID],
                optional: [
                    .bearerCapabilities, .receiveWindowSize, .challenge, .tieBreaker, .firmwareRevision, .vendorName,
                ])
        case .sccrp:
            MessageSpec(
                type, required: [.protocolVersion, .framingCapabilities, .hostName, .assignedTunnelID],
                optional: [
                    .bearerCapabilities, .firmwareRevision, .vendorName, .receiveWindowSize, .challenge,
                    .challengeResponse,
                ])
        case .scccn: MessageSpec(type, required: [], optional: [.challengeResponse])
        case .stopCCN: MessageSpec(type, required: [.assignedTunnelID, .resultCode], optional: [])
        case .hello: MessageSpec(type, required: [], optional: [])
        case .icrq:
            MessageSpec(
                type, required: [.assignedSessionID, .callSerialNumber],
                optional: [.bearerType, .physicalChannelID, .callingNumber, .calledNumber, .subAddress])
        case .icrp: MessageSpec(type, required: [.assignedSessionID], optional: [])
        case .iccn:
            MessageSpec(
                type, required: [.txConnectSpeed, .framingType],
                optional: [
                    .initialReceivedLCPConfReq, .lastSentLCPConfReq, .lastReceivedLCPConfReq, .proxyAuthenType,
                    .proxyAuthenName, .proxyAuthenChallenge, .proxyAuthenID, .proxyAuthenResponse, .privateGroupID,
                    .rxConnectSpeed, .sequencingRequired,
                ])
        case .ocrq:
            MessageSpec(
                type,
                required: [
                    .assignedSessionID, .callSerialNumber, .minimumBPS, .maximumBPS, .bearerType, .framingType,
                    .calledNumber,
                ],
                optional: [.subAddress])
        case .ocrp: MessageSpec(type, required: [.assignedSessionID], optional: [.physicalChannelID])
        case .occn:
            MessageSpec(
                type, required: [.txConnectSpeed, .framingType], optional: [.rxConnectSpeed, .sequencingRequired])
        case .cdn: MessageSpec(type, required: [.resultCode, .assignedSessionID], optional: [.q931CauseCode])
        case .wen: MessageSpec(type, required: [.callErrors], optional: [])
        case .sli: MessageSpec(type, required: [.accm], optional: [])
        }
    }

    private init(_ messageType: MessageType, required: [AVPType], optional: [AVPType]) {
        self.messageType = messageType
        self.required = required
        self.optional = optional
    }

    /// Whether `type` may appear in this message at all.
    public func allows(_ type: AVPType) -> Bool {
        type == .messageType || type == .randomVector || required.contains(type) || optional.contains(type)
    }

    /// Checks a decoded message against RFC 2661 section 6. ZLBs are valid.
    /// Throws `.missingMandatoryAVP`, `.unexpectedAVP` (per `policy`) or
    /// `.duplicateAVP` (a spec'd attribute other than Random Vector repeated),
    /// naming the attribute and the message type.
    public static func validate(_ message: ControlMessage, unexpected policy: UnexpectedAVPPolicy = .reject)
        throws(L2TPWireError)
    {
        guard let type = message.messageType else {
            if message.avps.isEmpty { return }
            throw .messageTypeNotFirst(offset: 0, attribute: message.avps[0].value.attribute)
        }
        let spec = spec(for: type)
        var seen = Set<AVPType>()
        for (index, entry) in message.avps.enumerated() {
            guard let avpType = entry.value.type else { continue }  // vendor / unknown optional
            if index > 0, avpType == .messageType { throw .duplicateAVP(.messageType, in: type, index: index) }
            if !spec.allows(avpType) {
                if policy == .reject { throw .unexpectedAVP(avpType, in: type, index: index) }
                continue
            }
            if avpType != .randomVector, !seen.insert(avpType).inserted {
                throw .duplicateAVP(avpType, in: type, index: index)
            }
        }
        for required in spec.required where !seen.contains(required) {
            throw .missingMandatoryAVP(required, in: type)
        }
    }
}

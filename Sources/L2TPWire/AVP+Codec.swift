import NIOCore

// MARK: - Value encoding

extension AVP {
    /// Writes the attribute value (no AVP header) as RFC 2661 4.4 lays it out.
    func writeValue(into buffer: inout ByteBuffer) {
        switch self {
        case .messageType(let type): buffer.writeInteger(type.rawValue)
        case .resultCode(let code):
            let swap = code.isByteSwapped
            buffer.writeInteger(swap ? code.result.byteSwapped : code.result)
            if let error = code.error {
                buffer.writeInteger(swap ? error.byteSwapped : error)
                if let message = code.message { buffer.writeBytes(message) }
            }
        case .protocolVersion(let version):
            buffer.writeInteger(version.version)
            buffer.writeInteger(version.revision)
        case .framingCapabilities(let value), .framingType(let value): buffer.writeInteger(value.rawValue)
        case .bearerCapabilities(let value), .bearerType(let value): buffer.writeInteger(value.rawValue)
        case .tieBreaker(let value): buffer.writeInteger(value)
        case .firmwareRevision(let value), .assignedTunnelID(let value), .receiveWindowSize(let value),
            .assignedSessionID(let value):
            buffer.writeInteger(value)
        case .callSerialNumber(let value), .minimumBPS(let value), .maximumBPS(let value),
            .txConnectSpeed(let value), .physicalChannelID(let value), .rxConnectSpeed(let value):
            buffer.writeInteger(value)
        case .hostName(let bytes), .vendorName(let bytes), .challenge(let bytes), .challengeResponse(let bytes),
            .calledNumber(let bytes), .callingNumber(let bytes), .subAddress(let bytes),
            .initialReceivedLCPConfReq(let bytes), .lastSentLCPConfReq(let bytes),
            .lastReceivedLCPConfReq(let bytes), .proxyAuthenName(let bytes), .proxyAuthenChallenge(let bytes),
            .proxyAuthenResponse(let bytes), .randomVector(let bytes), .privateGroupID(let bytes):
            buffer.writeBytes(bytes)
        case .q931CauseCode(let cause):
            buffer.writeInteger(cause.causeCode)
            buffer.writeInteger(cause.causeMessage)
            buffer.writeBytes(cause.advisory)
        case .proxyAuthenType(let type): buffer.writeInteger(type.rawValue)
        case .proxyAuthenID(let id):
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(id)
        case .callErrors(let errors):
            buffer.writeInteger(UInt16(0))
            buffer.writeInteger(errors.crcErrors)
            buffer.writeInteger(errors.framingErrors)
            buffer.writeInteger(errors.hardwareOverruns)
            buffer.writeInteger(errors.bufferOverruns)
            buffer.writeInteger(errors.timeoutErrors)
            buffer.writeInteger(errors.alignmentErrors)
        case .accm(let accm):
            buffer.writeInteger(UInt16(0))
            buffer.writeInteger(accm.sendACCM)
            buffer.writeInteger(accm.receiveACCM)
        case .sequencingRequired: break
        case .vendor(_, _, let value), .unknown(_, let value): buffer.writeBytes(value)
        }
    }
}

// MARK: - Value decoding

extension AVP {
    /// Decodes the value of an IETF AVP. `value` holds exactly the attribute
    /// value (unhidden); `offset` is the AVP's offset for error messages.
    static func decodeValue(
        type: AVPType, value: ByteBuffer, mandatory: Bool, offset: Int
    ) throws(L2TPWireError) -> AVP {
        let count = value.readableBytes
        let attribute = AVPAttribute(vendorID: 0, type: type.rawValue)
        guard type.rule.valueSize.accepts(count) else {
            throw .invalidAVPValue(
                type.name, offset: offset, detail: "value size \(count), expected \(type.rule.valueSize.words)",
                attribute: attribute)
        }
        let at = value.readerIndex
        // Sizes were checked above, so these reads cannot fail.
        func u8(_ i: Int) -> UInt8 { value.getInteger(at: at + i, as: UInt8.self)! }
        func u16(_ i: Int) -> UInt16 { value.getInteger(at: at + i, as: UInt16.self)! }
        func u32(_ i: Int) -> UInt32 { value.getInteger(at: at + i, as: UInt32.self)! }
        func bytes(from i: Int = 0) -> [UInt8] { value.getBytes(at: at + i, length: count - i)! }

        switch type {
        case .messageType:
            let raw = u16(0)
            guard let messageType = MessageType(rawValue: raw) else {
                throw .unknownMessageType(raw, offset: offset, mandatory: mandatory)
            }
            return .messageType(messageType)
        case .resultCode:
            guard count == 2 || count >= 4 else {
                throw .invalidAVPValue(
                    type.name, offset: offset, detail: "value size \(count), expected 2, 4 or more bytes",
                    attribute: attribute)
            }
            // Apple quirk (see ResultCode): valid codes are < 256, so a value
            // whose low octet is zero and high octet is not was byte-swapped.
            // Result and error code are checked independently.
            func looksSwapped(_ code: UInt16) -> Bool { code > 0xFF && code & 0xFF == 0 }
            var result = u16(0)
            var error: UInt16? = count >= 4 ? u16(2) : nil
            var swapped = false
            if looksSwapped(result) {
                result = result.byteSwapped
                swapped = true
            }
            if let code = error, looksSwapped(code) {
                error = code.byteSwapped
                swapped = true
            }
            let message: [UInt8]? = count > 4 ? bytes(from: 4) : nil
            return .resultCode(ResultCode(result: result, error: error, message: message, isByteSwapped: swapped))
        case .protocolVersion: return .protocolVersion(ProtocolVersion(version: u8(0), revision: u8(1)))
        case .framingCapabilities: return .framingCapabilities(FramingCapabilities(rawValue: u32(0)))
        case .bearerCapabilities: return .bearerCapabilities(BearerCapabilities(rawValue: u32(0)))
        case .tieBreaker: return .tieBreaker(value.getInteger(at: at, as: UInt64.self)!)
        case .firmwareRevision: return .firmwareRevision(u16(0))
        case .hostName: return .hostName(bytes())
        case .vendorName: return .vendorName(bytes())
        case .assignedTunnelID: return .assignedTunnelID(u16(0))
        case .receiveWindowSize: return .receiveWindowSize(u16(0))
        case .challenge: return .challenge(bytes())
        case .q931CauseCode:
            return .q931CauseCode(Q931Cause(causeCode: u16(0), causeMessage: u8(2), advisory: bytes(from: 3)))
        case .challengeResponse: return .challengeResponse(bytes())
        case .assignedSessionID: return .assignedSessionID(u16(0))
        case .callSerialNumber: return .callSerialNumber(u32(0))
        case .minimumBPS: return .minimumBPS(u32(0))
        case .maximumBPS: return .maximumBPS(u32(0))
        case .bearerType: return .bearerType(BearerCapabilities(rawValue: u32(0)))
        case .framingType: return .framingType(FramingCapabilities(rawValue: u32(0)))
        case .calledNumber: return .calledNumber(bytes())
        case .callingNumber: return .callingNumber(bytes())
        case .subAddress: return .subAddress(bytes())
        case .txConnectSpeed: return .txConnectSpeed(u32(0))
        case .physicalChannelID: return .physicalChannelID(u32(0))
        case .initialReceivedLCPConfReq: return .initialReceivedLCPConfReq(bytes())
        case .lastSentLCPConfReq: return .lastSentLCPConfReq(bytes())
        case .lastReceivedLCPConfReq: return .lastReceivedLCPConfReq(bytes())
        case .proxyAuthenType: return .proxyAuthenType(ProxyAuthenType(rawValue: u16(0)))
        case .proxyAuthenName: return .proxyAuthenName(bytes())
        case .proxyAuthenChallenge: return .proxyAuthenChallenge(bytes())
        case .proxyAuthenID:
            // RFC 2661 4.4.5: the most significant octet MUST be 0.
            guard u8(0) == 0 else {
                throw .invalidAVPValue(
                    type.name, offset: offset, detail: "high octet \(u8(0)) is not 0", attribute: attribute)
            }
            return .proxyAuthenID(u8(1))
        case .proxyAuthenResponse: return .proxyAuthenResponse(bytes())
        case .callErrors:
            return .callErrors(
                CallErrors(
                    crcErrors: u32(2), framingErrors: u32(6), hardwareOverruns: u32(10),
                    bufferOverruns: u32(14), timeoutErrors: u32(18), alignmentErrors: u32(22)))
        case .accm: return .accm(ACCM(sendACCM: u32(2), receiveACCM: u32(6)))
        case .randomVector: return .randomVector(bytes())
        case .privateGroupID: return .privateGroupID(bytes())
        case .rxConnectSpeed: return .rxConnectSpeed(u32(0))
        case .sequencingRequired: return .sequencingRequired
        }
    }
}

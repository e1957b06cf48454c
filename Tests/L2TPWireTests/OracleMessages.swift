import NIOCore

@testable import L2TPWire

/// Messages written to the pcap oracle: every message type, every AVP with a
/// dissector field, hidden AVPs, ZLB and data messages with each header option.
enum OracleMessages {
    static let secret = Array("oracle-secret".utf8)
    static let randomVector: [UInt8] = Array(0x40..<0x50)

    static var control: [ControlMessage] {
        var messages = MessageType.allCases.map(minimalMessage)
        messages.append(
            ControlMessage(
                .sccrq, tunnelID: 0, ns: 0, nr: 0,
                avps: [
                    .protocolVersion(.rfc2661), .hostName(Array("lac.example".utf8)),
                    .framingCapabilities([.synchronous, .asynchronous]),
                    .bearerCapabilities([.digital]), .assignedTunnelID(4321), .receiveWindowSize(16),
                    .challenge([0xC0, 0xFF, 0xEE, 0x01]), .tieBreaker(0x0102_0304_0506_0708), .firmwareRevision(0x0680),
                    .vendorName(Array("openl2tp-swift".utf8)),
                ]))
        messages.append(
            ControlMessage(
                .sccrp, tunnelID: 4321, ns: 0, nr: 1,
                avps: [
                    .protocolVersion(.rfc2661), .framingCapabilities(.synchronous), .hostName(Array("lns".utf8)),
                    .assignedTunnelID(99), .challengeResponse(Array(0x10..<0x20)),
                ]))
        messages.append(
            ControlMessage(
                .stopCCN, tunnelID: 99, ns: 5, nr: 6,
                avps: [
                    .assignedTunnelID(4321),
                    .resultCode(
                        ResultCode(ResultCode.StopCCNResult.generalError, error: .tryAnother, message: "go away")),
                ]))
        messages.append(
            ControlMessage(
                .cdn, tunnelID: 99, sessionID: 7, ns: 7, nr: 8,
                avps: [
                    .resultCode(ResultCode(.administrative)), .assignedSessionID(70),
                    .q931CauseCode(Q931Cause(causeCode: 16, causeMessage: 0x45, advisory: Array("normal".utf8))),
                ]))
        messages.append(
            ControlMessage(
                .icrq, tunnelID: 99, ns: 8, nr: 9,
                avps: [
                    .assignedSessionID(71), .callSerialNumber(123_456), .bearerType(.analog), .physicalChannelID(3),
                    .callingNumber(Array("5551234".utf8)), .calledNumber(Array("5556789".utf8)),
                    .subAddress(Array("12".utf8)),
                ]))
        messages.append(
            ControlMessage(
                .ocrq, tunnelID: 99, sessionID: 0, ns: 9, nr: 9,
                avps: [
                    .assignedSessionID(72), .callSerialNumber(5), .minimumBPS(28800), .maximumBPS(56000),
                    .bearerType(.digital),
                    .framingType(.asynchronous), .calledNumber(Array("0800".utf8)), .subAddress(Array("7".utf8)),
                ]))
        messages.append(
            ControlMessage(
                .iccn, tunnelID: 99, sessionID: 71, ns: 10, nr: 9,
                avps: [
                    .txConnectSpeed(100_000_000), .framingType(.synchronous),
                    .initialReceivedLCPConfReq([0x01, 0x04, 0x05, 0xDC]),
                    .lastSentLCPConfReq([0x03, 0x06, 0x0A, 0x00, 0x00, 0x01]),
                    .lastReceivedLCPConfReq([0x05, 0x06, 0x12, 0x34, 0x56, 0x78]),
                    .proxyAuthenType(.chap), .proxyAuthenName(Array("alice".utf8)),
                    .proxyAuthenChallenge(Array(0..<16)),
                    .proxyAuthenID(42), .proxyAuthenResponse(Array(0x80..<0x90)), .privateGroupID(Array("grp".utf8)),
                    .rxConnectSpeed(54_000_000), .sequencingRequired,
                ]))
        messages.append(
            ControlMessage(
                .wen, tunnelID: 99, sessionID: 71, ns: 11, nr: 9,
                avps: [
                    .callErrors(
                        CallErrors(
                            crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5,
                            alignmentErrors: 6))
                ]))
        messages.append(
            ControlMessage(
                .sli, tunnelID: 99, sessionID: 71, ns: 12, nr: 9,
                avps: [.accm(ACCM(sendACCM: 0xFFFF_FFFF, receiveACCM: 0x000A_0000))]))
        // Hidden AVPs (a Random Vector is inserted by the encoder).
        messages.append(
            ControlMessage(
                .icrp, tunnelID: 99, sessionID: 71, ns: 13, nr: 10, avps: [.assignedSessionID(0x0ABC)],
                hidden: [.assignedSessionID]))
        // A vendor AVP (non-zero vendor id) must be shown as vendor data, not an IETF attribute.
        messages.append(
            ControlMessage(
                .hello, tunnelID: 99, ns: 14, nr: 10, avps: [.vendor(vendorID: 9, type: 1, value: [0, 0, 0, 5])]))
        messages.append(ControlMessage.zlb(tunnelID: 99, ns: 14, nr: 11))
        return messages
    }

    static var data: [DataMessage] {
        let lcp = ByteBuffer(bytes: [0xFF, 0x03, 0xC0, 0x21, 0x01, 0x01, 0x00, 0x04])
        return [
            DataMessage(tunnelID: 99, sessionID: 71, payload: lcp),
            DataMessage(tunnelID: 99, sessionID: 71, hasLength: true, payload: lcp),
            DataMessage(tunnelID: 99, sessionID: 71, ns: 1, nr: 0, hasLength: true, payload: lcp),
            DataMessage(tunnelID: 99, sessionID: 71, ns: 2, nr: 0, hasLength: true, offsetSize: 2, payload: lcp),
        ]
    }
}

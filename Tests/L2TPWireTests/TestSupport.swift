import NIOCore

@testable import L2TPWire

/// SplitMix64: a tiny deterministic PRNG for property tests (fixed seeds).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

/// Parses hex text, ignoring spaces and newlines.
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    precondition(digits.count % 2 == 0, "odd hex length")
    var out: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        out.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return out
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
}

func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

func bytes(_ buffer: ByteBuffer) -> [UInt8] { buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes)! }

/// One sample value for every IETF attribute of RFC 2661 4.4, plus a vendor AVP.
let sampleAVPs: [AVP] = [
    .messageType(.sccrq),
    .resultCode(ResultCode(result: 2, error: 6, message: Array("vendor trouble".utf8))),
    .protocolVersion(.rfc2661),
    .framingCapabilities([.synchronous, .asynchronous]),
    .bearerCapabilities([.analog, .digital]),
    .tieBreaker(0x0102_0304_0506_0708),
    .firmwareRevision(0x0103),
    .hostName(Array("lns.example.net".utf8)),
    .vendorName(Array("openl2tp-swift".utf8)),
    .assignedTunnelID(0xBEEF),
    .receiveWindowSize(8),
    .challenge([1, 2, 3, 4, 5, 6, 7, 8]),
    .q931CauseCode(Q931Cause(causeCode: 16, causeMessage: 0x45, advisory: Array("normal".utf8))),
    .challengeResponse(Array(0..<16)),
    .assignedSessionID(0x1234),
    .callSerialNumber(0xDEAD_BEEF),
    .minimumBPS(9600),
    .maximumBPS(100_000_000),
    .bearerType(.analog),
    .framingType(.synchronous),
    .calledNumber(Array("5551000".utf8)),
    .callingNumber(Array("5552000".utf8)),
    .subAddress(Array("42".utf8)),
    .txConnectSpeed(10_000_000),
    .physicalChannelID(7),
    .initialReceivedLCPConfReq([0x01, 0x04, 0x05, 0xDC]),
    .lastSentLCPConfReq([0x01, 0x04, 0x05, 0xD4]),
    .lastReceivedLCPConfReq([0x05, 0x06, 0x11, 0x22, 0x33, 0x44]),
    .proxyAuthenType(.chap),
    .proxyAuthenName(Array("alice".utf8)),
    .proxyAuthenChallenge(Array(repeating: 0xA5, count: 16)),
    .proxyAuthenID(0x2A),
    .proxyAuthenResponse(Array(repeating: 0x5A, count: 16)),
    .callErrors(
        CallErrors(
            crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5,
            alignmentErrors: 6)),
    .accm(ACCM(sendACCM: 0xFFFF_FFFF, receiveACCM: 0x000A_0000)),
    .randomVector(Array(100..<116)),
    .privateGroupID(Array("group-1".utf8)),
    .rxConnectSpeed(64000),
    .sequencingRequired,
    .vendor(vendorID: 311, type: 5, value: [0xCA, 0xFE]),
    .unknown(type: 20, value: [9, 9]),
]

/// A minimal valid message of each type (RFC 2661 6), used by several suites.
func minimalMessage(_ type: MessageType) -> ControlMessage {
    let avps: [AVP]
    switch type {
    case .sccrq, .sccrp:
        avps = [
            .protocolVersion(.rfc2661), .hostName(Array("host".utf8)), .framingCapabilities(.synchronous),
            .assignedTunnelID(5),
        ]
    case .scccn, .hello: avps = []
    case .stopCCN: avps = [.assignedTunnelID(5), .resultCode(ResultCode(.generalRequest))]
    case .icrq,
        .ocrq where type == .icrq:
        avps = [.assignedSessionID(9), .callSerialNumber(77)]
    case .ocrq:
        avps = [
            .assignedSessionID(9), .callSerialNumber(77), .minimumBPS(1), .maximumBPS(2), .bearerType(.digital),
            .framingType(.synchronous), .calledNumber(Array("123".utf8)),
        ]
    case .icrp, .ocrp: avps = [.assignedSessionID(9)]
    case .iccn, .occn: avps = [.txConnectSpeed(1_000_000), .framingType(.synchronous)]
    case .cdn: avps = [.resultCode(ResultCode(.administrative)), .assignedSessionID(9)]
    case .wen: avps = [.callErrors(CallErrors(crcErrors: 3))]
    case .sli: avps = [.accm(ACCM(sendACCM: 0, receiveACCM: 0))]
    }
    return ControlMessage(type, tunnelID: 1, sessionID: type.isTunnelMessage ? 0 : 2, ns: 3, nr: 4, avps: avps)
}

import NIOCore

@testable import L2TPWire

/// What tshark's L2TP dissector (`-T fields`, occurrence=a, aggregator `|`)
/// should print for a message, derived from the message model rather than
/// from our encoded bytes.
struct TsharkExpectation {
    static let fields = [
        "l2tp.type", "l2tp.length", "l2tp.tunnel", "l2tp.session", "l2tp.Ns", "l2tp.Nr", "l2tp.offset",
        "l2tp.avp.type", "l2tp.avp.vendor_id", "l2tp.avp.mandatory", "l2tp.avp.hidden",
        "l2tp.avp.message_type", "l2tp.result_code", "l2tp.avp.error_code", "l2tp.avp.error_message",
        "l2tp.avp.protocol_version", "l2tp.avp.protocol_revision",
        "l2tp.avp.sync_framing_supported", "l2tp.avp.async_framing_supported",
        "l2tp.avp.digital_access_supported", "l2tp.avp.analog_access_supported",
        "l2tp.tie_breaker", "l2tp.avp.firmware_revision", "l2tp.avp.host_name", "l2tp.avp.vendor_name",
        "l2tp.avp.assigned_tunnel_id", "l2tp.avp.receive_window_size", "l2tp.avp.chap_challenge",
        "l2tp.avp.cause_code", "l2tp.avp.cause_msg", "l2tp.avp.advisory_msg", "l2tp.avp.chap_challenge_response",
        "l2tp.avp.assigned_session_id", "l2tp.avp.call_serial_number", "l2tp.avp.minimum_bps", "l2tp.avp.maximum_bps",
        "l2tp.avp.digital_bearer_type", "l2tp.avp.analog_bearer_type", "l2tp.avp.sync_framing_type",
        "l2tp.avp.async_framing_type", "l2tp.avp.called_number", "l2tp.avp.calling_number", "l2tp.avp.sub_address",
        "l2tp.avp.connect_speed", "l2tp.avp.physical_channel", "l2tp.avp.initial_received_lcp_confreq",
        "l2tp.avp.last_sent_lcp_confreq", "l2tp.avp.last_received_lcp_confreq", "l2tp.avp.proxy_authen_type",
        "l2tp.avp.proxy_authen_name", "l2tp.avp.proxy_authen_challenge", "l2tp.avp.proxy_authen_id",
        "l2tp.avp.proxy_authen_response", "l2tp.avp.crc_errors", "l2tp.avp.framing_errors",
        "l2tp.avp.hardware_overruns", "l2tp.avp.buffer_overruns", "l2tp.avp.time_out_errors",
        "l2tp.avp.alignment_errors", "l2tp.avp.send_accm", "l2tp.avp.receive_accm", "l2tp.avp.random_vector",
        "l2tp.avp.private_group_id", "l2tp.avp.rx_connect_speed", "l2tp.avp.ciscotype",
        "l2tp.cisco.assigned_control_connection_id",
    ]

    private(set) var values: [String: String] = [:]

    private mutating func add(_ field: String, _ value: String) {
        if let existing = values[field] { values[field] = existing + "|" + value } else { values[field] = value }
    }

    private mutating func add(_ field: String, _ value: some BinaryInteger) { add(field, "\(value)") }
    private mutating func add(_ field: String, bool: Bool) { add(field, bool ? "1" : "0") }
    private mutating func add(_ field: String, hex bytes: [UInt8]) { add(field, hexString(bytes)) }
    private mutating func add(_ field: String, text bytes: [UInt8]) {
        add(field, String(decoding: bytes, as: UTF8.self))
    }

    init(data message: DataMessage) {
        add("l2tp.type", 0)
        if message.header.hasLength { add("l2tp.length", message.header.encodedLength + message.payload.readableBytes) }
        add("l2tp.tunnel", message.tunnelID)
        add("l2tp.session", message.sessionID)
        if let ns = message.header.ns, let nr = message.header.nr {
            add("l2tp.Ns", ns)
            add("l2tp.Nr", nr)
        }
        if let offset = message.header.offsetSize { add("l2tp.offset", offset) }
    }

    init(control message: ControlMessage) {
        add("l2tp.type", 1)
        add("l2tp.tunnel", message.tunnelID)
        add("l2tp.session", message.sessionID)
        add("l2tp.Ns", message.ns)
        add("l2tp.Nr", message.nr)
        // The AVPs on the wire: the encoder inserts the Random Vector before the first hidden AVP.
        var wire: [AVPEntry] = []
        var haveVector = false
        for entry in message.avps {
            if case .randomVector = entry.value { haveVector = true }
            if entry.isHidden, !haveVector {
                wire.append(AVPEntry(.randomVector(OracleMessages.randomVector)))
                haveVector = true
            }
            wire.append(entry)
        }
        var length = 12
        for entry in wire {
            let attribute = entry.value.attribute
            // tshark 4.0 prints only the flags and length of a hidden AVP.
            // Cisco (vendor 9) attribute numbers go to l2tp.avp.ciscotype.
            if !entry.isHidden {
                add(attribute.vendorID == 9 ? "l2tp.avp.ciscotype" : "l2tp.avp.type", attribute.type)
                add("l2tp.avp.vendor_id", attribute.vendorID)
            }
            add("l2tp.avp.mandatory", bool: entry.isMandatory)
            add("l2tp.avp.hidden", bool: entry.isHidden)
            var value = ByteBuffer()
            entry.value.writeValue(into: &value)
            length += 6 + value.readableBytes + (entry.isHidden ? 2 : 0)
            if !entry.isHidden { addValue(entry.value) }
        }
        add("l2tp.length", length)
    }

    private mutating func addValue(_ avp: AVP) {
        switch avp {
        case .messageType(let type): add("l2tp.avp.message_type", type.rawValue)
        case .resultCode(let code):
            add("l2tp.result_code", code.result)
            if let error = code.error { add("l2tp.avp.error_code", error) }
            if let message = code.message { add("l2tp.avp.error_message", text: message) }
        case .protocolVersion(let version):
            add("l2tp.avp.protocol_version", version.version)
            add("l2tp.avp.protocol_revision", version.revision)
        case .framingCapabilities(let framing):
            add("l2tp.avp.async_framing_supported", bool: framing.contains(.asynchronous))
            add("l2tp.avp.sync_framing_supported", bool: framing.contains(.synchronous))
        case .bearerCapabilities(let bearer):
            add("l2tp.avp.analog_access_supported", bool: bearer.contains(.analog))
            add("l2tp.avp.digital_access_supported", bool: bearer.contains(.digital))
        case .tieBreaker(let value):
            let digits = String(value, radix: 16)
            add("l2tp.tie_breaker", "0x" + String(repeating: "0", count: 16 - digits.count) + digits)
        case .firmwareRevision(let value): add("l2tp.avp.firmware_revision", value)
        case .hostName(let bytes): add("l2tp.avp.host_name", text: bytes)
        case .vendorName(let bytes): add("l2tp.avp.vendor_name", text: bytes)
        case .assignedTunnelID(let value): add("l2tp.avp.assigned_tunnel_id", value)
        case .receiveWindowSize(let value): add("l2tp.avp.receive_window_size", value)
        case .challenge(let bytes): add("l2tp.avp.chap_challenge", hex: bytes)
        case .q931CauseCode(let cause):
            add("l2tp.avp.cause_code", cause.causeCode)
            add("l2tp.avp.cause_msg", cause.causeMessage)
            if !cause.advisory.isEmpty { add("l2tp.avp.advisory_msg", text: cause.advisory) }
        case .challengeResponse(let bytes): add("l2tp.avp.chap_challenge_response", hex: bytes)
        case .assignedSessionID(let value): add("l2tp.avp.assigned_session_id", value)
        case .callSerialNumber(let value): add("l2tp.avp.call_serial_number", value)
        case .minimumBPS(let value): add("l2tp.avp.minimum_bps", value)
        case .maximumBPS(let value): add("l2tp.avp.maximum_bps", value)
        case .bearerType(let bearer):
            add("l2tp.avp.analog_bearer_type", bool: bearer.contains(.analog))
            add("l2tp.avp.digital_bearer_type", bool: bearer.contains(.digital))
        case .framingType(let framing):
            add("l2tp.avp.async_framing_type", bool: framing.contains(.asynchronous))
            add("l2tp.avp.sync_framing_type", bool: framing.contains(.synchronous))
        case .calledNumber(let bytes): add("l2tp.avp.called_number", text: bytes)
        case .callingNumber(let bytes): add("l2tp.avp.calling_number", text: bytes)
        case .subAddress(let bytes): add("l2tp.avp.sub_address", text: bytes)
        case .txConnectSpeed(let value): add("l2tp.avp.connect_speed", value)
        case .physicalChannelID(let value): add("l2tp.avp.physical_channel", value)
        case .initialReceivedLCPConfReq(let bytes): add("l2tp.avp.initial_received_lcp_confreq", hex: bytes)
        case .lastSentLCPConfReq(let bytes): add("l2tp.avp.last_sent_lcp_confreq", hex: bytes)
        case .lastReceivedLCPConfReq(let bytes): add("l2tp.avp.last_received_lcp_confreq", hex: bytes)
        case .proxyAuthenType(let type): add("l2tp.avp.proxy_authen_type", type.rawValue)
        case .proxyAuthenName(let bytes): add("l2tp.avp.proxy_authen_name", text: bytes)
        case .proxyAuthenChallenge(let bytes): add("l2tp.avp.proxy_authen_challenge", hex: bytes)
        case .proxyAuthenID(let id): add("l2tp.avp.proxy_authen_id", id)
        case .proxyAuthenResponse(let bytes): add("l2tp.avp.proxy_authen_response", hex: bytes)
        case .callErrors(let errors):
            add("l2tp.avp.crc_errors", errors.crcErrors)
            add("l2tp.avp.framing_errors", errors.framingErrors)
            add("l2tp.avp.hardware_overruns", errors.hardwareOverruns)
            add("l2tp.avp.buffer_overruns", errors.bufferOverruns)
            add("l2tp.avp.time_out_errors", errors.timeoutErrors)
            add("l2tp.avp.alignment_errors", errors.alignmentErrors)
        case .accm(let accm):
            add("l2tp.avp.send_accm", accm.sendACCM)
            add("l2tp.avp.receive_accm", accm.receiveACCM)
        case .randomVector(let bytes): add("l2tp.avp.random_vector", hex: bytes)
        case .privateGroupID(let bytes): add("l2tp.avp.private_group_id", hex: bytes)
        case .rxConnectSpeed(let value): add("l2tp.avp.rx_connect_speed", value)
        case .vendor(9, 1, let value) where value.count == 4:
            add("l2tp.cisco.assigned_control_connection_id", value.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        case .sequencingRequired, .vendor, .unknown: break
        }
    }
}

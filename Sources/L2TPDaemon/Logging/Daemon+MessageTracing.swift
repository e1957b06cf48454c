import L2TPConfig
import L2TPWire
import NIOCore

/// Per-message trace lines for the PROTOCOL, AVP, AVP_HIDE and AVP_DATA
/// flags, in the scope (system, tunnel, session) the existing flags use.
///
/// - PROTOCOL: one line per control message (type, ids, Ns/Nr, AVP names).
/// - AVP: one line per AVP with its name, flags and a value summary.
///   Authentication material (Challenge, Challenge Response, Random Vector,
///   proxy authentication challenge/response) is summarised by length only.
/// - AVP_HIDE: one line per hidden AVP (RFC 2661 4.3): that it was unhidden
///   or hidden, with the Random Vector's length; never the secret.
/// - AVP_DATA: the hex of each AVP value as it is on the wire (a hidden AVP's
///   value is its hidden subformat, so no plaintext of a hidden AVP leaks).
extension Daemon {
    static let messageTraceFlags: TraceFlags = [.protocolMessages, .avp, .avpHide, .avpData]

    func traceControlMessage(_ datagram: ByteBuffer, inbound: Bool, peer: IPv4SocketAddress, tunnel: UInt16?) {
        // Cheap check first: this runs for every control datagram.
        guard isTraced(Self.messageTraceFlags, tunnel: tunnel, session: nil) || (inbound && tunnel == nil) else {
            return
        }
        guard let peek = L2TPHeader.peek(datagram), peek.isControl else { return }
        // Inbound headers carry our tunnel id (the listener does not know it).
        let ours = tunnel ?? (peek.tunnelID == 0 ? nil : peek.tunnelID)
        guard isTraced(Self.messageTraceFlags, tunnel: ours, session: nil) else { return }
        let direction = inbound ? "RX" : "TX"
        let secret = ours.flatMap { tunnels[$0]?.settings.secret }.map { Array($0.utf8) }
        let decoded: ControlMessage
        do {
            decoded = try ControlMessage.decode(datagram, secret: secret)
        } catch {
            trace(
                .protocolMessages, tunnel: ours,
                "\(inbound ? "RX from" : "TX to") \(peer): undecodable \(datagram.readableBytes) bytes")
            trace(.avpHide, tunnel: ours, "\(direction) message not decoded: \(escaped: "\(error)")")
            return
        }
        let session = ours.flatMap { ourSessionID(decoded.sessionID, inbound: inbound, tunnel: $0) }
        trace(.protocolMessages, tunnel: ours, session: session, "\(inbound ? "RX from" : "TX to") \(peer): \(decoded)")
        guard let type = decoded.messageType else { return }  // ZLB: no AVPs
        let wire = Self.wireAVPValues(datagram)
        var vectorLength: Int?
        for (index, entry) in decoded.avps.enumerated() {
            let name = entry.value.type?.name ?? "attribute \(entry.value.attribute)"
            if case .randomVector(let vector) = entry.value { vectorLength = vector.count }
            let bits = (entry.isMandatory ? "M" : "") + (entry.isHidden ? "H" : "")
            trace(
                .avp, tunnel: ours, session: session,
                "\(direction) \(type) AVP \(name)\(bits.isEmpty ? "" : " [\(bits)]"): \(Self.summary(entry.value))")
            if entry.isHidden {
                let octets = index < wire.count ? wire[index].count : 0
                trace(
                    .avpHide, tunnel: ours, session: session,
                    "\(direction) \(type) AVP \(name): \(inbound ? "unhidden" : "hidden") with the tunnel secret and a "
                        + "\(vectorLength.map { "\($0)-octet" } ?? "missing") Random Vector, \(octets) octets on the wire"
                )
            }
            if index < wire.count {
                trace(
                    .avpData, tunnel: ours, session: session,
                    "\(direction) \(type) AVP \(name)\(entry.isHidden ? " (hidden subformat)" : ""): \(Self.hex(wire[index]))"
                )
            }
        }
    }

    /// Our session id for a message's header session id: inbound headers
    /// carry ours, outbound ones the peer's.
    private func ourSessionID(_ headerSessionID: UInt16, inbound: Bool, tunnel: UInt16) -> UInt16? {
        guard headerSessionID != 0, let record = tunnels[tunnel] else { return nil }
        if inbound { return headerSessionID }
        return record.sessions.values.first { $0.peerSessionID == headerSessionID }?.sessionID
    }

    /// The value octets of each AVP, in order, as on the wire (RFC 2661 4.1:
    /// 6-octet header with a 10-bit length). Stops at the first malformed AVP.
    static func wireAVPValues(_ datagram: ByteBuffer) -> [ByteBufferView] {
        var buffer = datagram
        guard let flags = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return [] }
        // Header: flags/version, [length], tunnel, session, [Ns, Nr], [offset].
        var headerLength = 6
        if flags & 0x4000 != 0 { headerLength += 2 }
        if flags & 0x0800 != 0 { headerLength += 4 }
        if flags & 0x0200 != 0 {
            guard let offset = buffer.getInteger(at: buffer.readerIndex + headerLength, as: UInt16.self) else {
                return []
            }
            headerLength += 2 + Int(offset)
        }
        if flags & 0x4000 != 0, let length = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
            Int(length) <= buffer.readableBytes
        {
            buffer = buffer.getSlice(at: buffer.readerIndex, length: Int(length)) ?? buffer
        }
        guard buffer.readableBytes >= headerLength else { return [] }
        buffer.moveReaderIndex(forwardBy: headerLength)
        var values: [ByteBufferView] = []
        while buffer.readableBytes >= 6, let word = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) {
            let length = Int(word & 0x03FF)
            guard length >= 6, length <= buffer.readableBytes,
                let value = buffer.getSlice(at: buffer.readerIndex + 6, length: length - 6)
            else { break }
            values.append(value.readableBytesView)
            buffer.moveReaderIndex(forwardBy: length)
        }
        return values
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        if bytes.isEmpty { return "(empty)" }
        let digits: [Character] = Array("0123456789abcdef")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined(separator: " ")
    }

    /// A short, log-safe rendering of an AVP value.
    static func summary(_ avp: AVP) -> String {
        switch avp {
        case .messageType(let type): return "\(type)"
        // The error message is the peer's text (RFC 2661 4.4.2).
        case .resultCode(let code): return VisibleText.escaped("\(code)")
        case .protocolVersion(let version): return "\(version)"
        case .framingCapabilities(let caps): return "\(caps)"
        case .bearerCapabilities(let caps): return "\(caps)"
        case .bearerType(let caps): return "\(caps)"
        case .framingType(let caps): return "\(caps)"
        case .tieBreaker(let value): return "0x" + String(value, radix: 16)
        case .firmwareRevision(let value): return "0x" + String(value, radix: 16)
        case .assignedTunnelID(let id), .assignedSessionID(let id), .receiveWindowSize(let id): return "\(id)"
        case .callSerialNumber(let n), .minimumBPS(let n), .maximumBPS(let n), .txConnectSpeed(let n),
            .physicalChannelID(let n), .rxConnectSpeed(let n):
            return "\(n)"
        case .hostName(let bytes), .vendorName(let bytes), .calledNumber(let bytes), .callingNumber(let bytes),
            .subAddress(let bytes), .proxyAuthenName(let bytes), .privateGroupID(let bytes):
            return quoted(bytes)
        case .challenge(let bytes), .challengeResponse(let bytes), .randomVector(let bytes),
            .proxyAuthenChallenge(let bytes), .proxyAuthenResponse(let bytes):
            return "\(bytes.count) octets (not shown)"
        case .initialReceivedLCPConfReq(let bytes), .lastSentLCPConfReq(let bytes), .lastReceivedLCPConfReq(let bytes):
            return "\(bytes.count) octets"
        case .q931CauseCode(let cause): return "\(cause)"
        case .proxyAuthenType(let type): return "\(type)"
        case .proxyAuthenID(let id): return "\(id)"
        case .callErrors(let errors): return "\(errors)"
        case .accm(let accm): return "\(accm)"
        case .sequencingRequired: return "set"
        case .vendor(let vendorID, let type, let value): return "vendor \(vendorID) type \(type), \(value.count) octets"
        case .unknown(let type, let value): return "type \(type), \(value.count) octets"
        }
    }

    /// A peer's text in quotes, escaped as every peer string in the log is
    /// (`VisibleText`); octets that are not UTF-8 in hex.
    private static func quoted(_ bytes: [UInt8]) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { return "not UTF-8: \(hex(bytes))" }
        return "'\(VisibleText.escaped(text))'"
    }

    // MARK: - FUNC

    /// FUNC: entry into the engine-event handler, naming the event and its
    /// ids only (tunnel settings hold the secret and are never printed).
    func traceHandlerEntry(_ event: ControlEvent) {
        let (tunnel, session, name): (UInt16?, UInt16?, String)
        switch event {
        case .tunnelRequested(let r): (tunnel, session, name) = (r.tunnelID, nil, "tunnelRequested from \(r.peer)")
        case .sessionRequested(let r): (tunnel, session, name) = (r.tunnelID, r.sessionID, "sessionRequested")
        case .tunnelUp(let t, let peerT, _, _): (tunnel, session, name) = (t, nil, "tunnelUp (peer tunnel \(peerT))")
        case .tunnelDown(let t, _, let byPeer):
            (tunnel, session, name) = (t, nil, "tunnelDown\(byPeer ? " by peer" : "")")
        case .tunnelFreed(let t): (tunnel, session, name) = (t, nil, "tunnelFreed")
        case .tunnelPeerMoved(let t, let peer): (tunnel, session, name) = (t, nil, "tunnelPeerMoved to \(peer)")
        case .sessionUp(let t, let s, let peerS, _):
            (tunnel, session, name) = (t, s, "sessionUp (peer session \(peerS))")
        case .sessionDown(let t, let s, _): (tunnel, session, name) = (t, s, "sessionDown")
        case .peerSetLinkInfo(let t, let s, _, _): (tunnel, session, name) = (t, s, "peerSetLinkInfo")
        case .trace: return
        }
        trace(.function, tunnel: tunnel, session: session, "handle \(name)")
    }
}

/// Decodes one datagram from pppd's openl2tp.so (sans-IO: bytes in, event out).
///
/// Strict about framing (signature, lengths, padding: a datagram is exact),
/// lenient about content the way the protocol intends: unknown TLV types are
/// skipped, a repeated TLV's last value wins, strings end at their first NUL.
public enum PPPEventDecoder {
    public static func decode(_ bytes: [UInt8]) throws(PPPEventError) -> PPPEvent {
        try bytes.withUnsafeBytes { raw in Result { () throws(PPPEventError) in try decode(raw) } }.get()
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(PPPEventError) -> PPPEvent {
        guard bytes.count <= PPPEventWire.maximumMessageLength else { throw .oversize(length: bytes.count) }
        guard bytes.count >= PPPEventWire.headerLength else { throw .truncatedHeader(length: bytes.count) }
        let signature = bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        guard signature == PPPEventWire.signature else { throw .badSignature(signature) }
        let rawType = bytes.loadUnaligned(fromByteOffset: 4, as: UInt16.self)
        let declared = Int(bytes.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        let actual = bytes.count - PPPEventWire.headerLength
        guard declared == actual else { throw .lengthMismatch(declared: declared, actual: actual) }
        guard let type = PPPEventWire.MessageType(rawValue: rawType) else { throw .unknownMessageType(rawType) }

        let fields = try TLVFields(bytes)
        switch type {
        case .null:
            return .null
        case .pppUpDown:
            return .upDown(
                PPPLinkState(
                    tunnelID: try fields.require(.tunnelID, rawType, fields.tunnelID),
                    sessionID: try fields.require(.sessionID, rawType, fields.sessionID),
                    isUp: try fields.require(.state, rawType, fields.state) != 0,
                    unit: try fields.require(.pppUnit, rawType, fields.unit),
                    interfaceName: try fields.require(.interfaceName, rawType, fields.interfaceName),
                    userName: fields.userName.flatMap { $0.isEmpty ? nil : $0 }))
        case .pppACCM:
            let accm = try fields.require(.accm, rawType, fields.accm)
            return .accm(
                PPPACCMIndication(
                    tunnelID: try fields.require(.tunnelID, rawType, fields.tunnelID),
                    sessionID: try fields.require(.sessionID, rawType, fields.sessionID),
                    sendACCM: accm.send, receiveACCM: accm.receive))
        }
    }
}

// MARK: - TLV walk

/// The known TLVs of one message.
private struct TLVFields {
    var tunnelID: UInt16?
    var sessionID: UInt16?
    var accm: (send: UInt32, receive: UInt32)?
    var unit: UInt32?
    var interfaceName: String?
    var userName: String?
    var state: UInt8?

    init(_ bytes: UnsafeRawBufferPointer) throws(PPPEventError) {
        var offset = PPPEventWire.headerLength
        while offset < bytes.count {
            guard bytes.count - offset >= PPPEventWire.tlvHeaderLength else { throw .truncatedTLV(offset: offset) }
            let type = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self))
            let valueStart = offset + PPPEventWire.tlvHeaderLength
            guard bytes.count - valueStart >= length else { throw .truncatedTLV(offset: offset) }
            let next = valueStart + PPPEventWire.aligned(length)
            guard next <= bytes.count else { throw .misalignedTLV(offset: offset) }
            let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueStart + length])
            try store(type: type, value: value, offset: offset)
            offset = next
        }
    }

    private mutating func store(type: UInt16, value: UnsafeRawBufferPointer, offset: Int) throws(PPPEventError) {
        guard let known = PPPEventWire.TLVType(rawValue: type) else { return }  // newer sender: skip
        func fixed(_ size: Int) throws(PPPEventError) {
            guard value.count == size else { throw .badTLVLength(type: type, length: value.count, offset: offset) }
        }
        switch known {
        case .tunnelID:
            try fixed(2)
            tunnelID = value.loadUnaligned(as: UInt16.self)
        case .sessionID:
            try fixed(2)
            sessionID = value.loadUnaligned(as: UInt16.self)
        case .accm:
            try fixed(8)
            accm = (value.loadUnaligned(as: UInt32.self), value.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        case .pppUnit:
            try fixed(4)
            unit = value.loadUnaligned(as: UInt32.self)
        case .state:
            try fixed(1)
            state = value[0]
        case .interfaceName: interfaceName = Self.string(value)
        case .userName: userName = Self.string(value)
        }
    }

    /// pppd sends C strings with their NUL; stop at the first one.
    private static func string(_ value: UnsafeRawBufferPointer) -> String {
        let end = value.firstIndex(of: 0) ?? value.count
        return String(decoding: value[0..<end], as: UTF8.self)
    }

    func require<Value>(
        _ type: PPPEventWire.TLVType, _ messageType: UInt16, _ value: Value?
    ) throws(PPPEventError) -> Value {
        guard let value else { throw .missingTLV(type, messageType: messageType) }
        return value
    }
}

import NIOCore

// MARK: - Decoding

extension ControlMessage {
    /// Decodes a control message (T bit set) from the buffer's readable bytes.
    ///
    /// Errors raised after the header was read carry `header` and, once known,
    /// `messageType`; in particular `.unknownMandatoryAVP` and
    /// `.unknownMessageType` let the caller send StopCCN or CDN (RFC 2661 4.2).
    public static func decode(_ buffer: ByteBuffer, secret: [UInt8]? = nil) throws(L2TPWireError) -> ControlMessage {
        let parsed = try L2TPHeader.parse(buffer)
        guard parsed.header.isControl else {
            throw .invalidControlHeader("T bit clear: a data message")
        }
        return try decodeBody(parsed, buffer: buffer, secret: secret)
    }

    static func decodeBody(
        _ parsed: L2TPHeader.Parsed, buffer: ByteBuffer, secret: [UInt8]?
    ) throws(L2TPWireError) -> ControlMessage {
        let header = parsed.header
        var messageType: MessageType?
        do {
            let avps = try decodeAVPs(
                buffer, from: parsed.payloadStart, to: parsed.messageEnd, base: buffer.readerIndex,
                secret: secret, messageType: &messageType)
            return ControlMessage(
                tunnelID: header.tunnelID, sessionID: header.sessionID, ns: header.ns ?? 0, nr: header.nr ?? 0,
                avps: avps)
        } catch {
            throw error.withContext(header: header, messageType: messageType)
        }
    }

    /// Walks the AVP list (RFC 2661 4.1). Every length is checked against the
    /// bytes that remain before anything is read or allocated.
    private static func decodeAVPs(
        _ buffer: ByteBuffer, from start: Int, to end: Int, base: Int, secret: [UInt8]?,
        messageType: inout MessageType?
    ) throws(L2TPWireError) -> [AVPEntry] {
        var avps: [AVPEntry] = []
        if start == end { return avps }  // ZLB
        // At most one AVP per 6 octets, so this is bounded by the datagram.
        avps.reserveCapacity(min((end - start) / 6, 32))
        var randomVector: [UInt8]?
        var index = start
        while index < end {
            let offset = index - base
            let remaining = end - index
            guard remaining >= ByteBuffer.avpHeaderLength else {
                throw .invalidAVPLength(offset: offset, length: remaining, remaining: remaining, attribute: nil)
            }
            let word = buffer.getInteger(at: index, as: UInt16.self)!
            let vendorID = buffer.getInteger(at: index + 2, as: UInt16.self)!
            let type = buffer.getInteger(at: index + 4, as: UInt16.self)!
            let attribute = AVPAttribute(vendorID: vendorID, type: type)
            let length = Int(word & ByteBuffer.avpLengthMask)
            let mandatory = word & ByteBuffer.avpMandatoryBit != 0
            let hidden = word & ByteBuffer.avpHiddenBit != 0
            guard length >= ByteBuffer.avpHeaderLength, length <= remaining else {
                throw .invalidAVPLength(offset: offset, length: length, remaining: remaining, attribute: attribute)
            }
            defer { index += length }
            let isFirst = avps.isEmpty && messageType == nil
            let reservedBitsSet = word & ByteBuffer.avpReservedMask != 0
            if isFirst {
                // RFC 2661 4.4.1: Message Type MUST be the first AVP.
                guard vendorID == 0, type == AVPType.messageType.rawValue else {
                    throw .messageTypeNotFirst(offset: offset, attribute: attribute)
                }
                guard !reservedBitsSet else { throw .reservedAVPBitsSet(offset: offset, attribute: attribute) }
                guard !hidden else {
                    throw .invalidAVPValue("Message Type", offset: offset, detail: "H bit set", attribute: attribute)
                }
            }
            // RFC 2661 4.1: a reserved bit set means "treat as unrecognised":
            // fatal with the M bit, otherwise ignored (not kept, so that it
            // cannot be re-sent as a valid AVP).
            if reservedBitsSet {
                if mandatory { throw .unknownMandatoryAVP(offset: offset, attribute: attribute) }
                continue
            }
            let known = attribute.ietfType
            let valueStart = index + ByteBuffer.avpHeaderLength
            let valueLength = length - ByteBuffer.avpHeaderLength

            guard let known else {
                if mandatory {
                    throw .unknownMandatoryAVP(offset: offset, attribute: attribute)
                }
                var value = buffer.getBytes(at: valueStart, length: valueLength)!
                if hidden {
                    // An unrecognised optional AVP we cannot unhide is skipped (RFC 2661 4.2).
                    guard let secret, let randomVector,
                        let plain = HiddenAVP.unhide(
                            value, attributeType: type, secret: secret, randomVector: randomVector)
                    else { continue }
                    value = plain
                }
                let avp: AVP =
                    vendorID == 0
                    ? .unknown(type: type, value: value) : .vendor(vendorID: vendorID, type: type, value: value)
                avps.append(AVPEntry(avp, mandatory: false, hidden: hidden))
                continue
            }

            var valueBuffer = buffer.getSlice(at: valueStart, length: valueLength)!
            if hidden {
                guard let secret else { throw .hiddenAVPWithoutSecret(offset: offset, attribute: attribute) }
                guard let randomVector else {
                    throw .hiddenAVPWithoutRandomVector(offset: offset, attribute: attribute)
                }
                let cipher = valueBuffer.readableBytesView
                guard
                    let plain = HiddenAVP.unhide(
                        cipher, attributeType: type, secret: secret, randomVector: randomVector)
                else {
                    throw .invalidHiddenAVP(
                        offset: offset,
                        detail: "original-length prefix exceeds the \(valueLength)-byte value (wrong secret?)",
                        attribute: attribute)
                }
                valueBuffer = ByteBuffer(bytes: plain)
            }
            let avp = try AVP.decodeValue(type: known, value: valueBuffer, mandatory: mandatory, offset: offset)
            switch avp {
            case .messageType(let type) where isFirst: messageType = type
            case .randomVector(let vector): randomVector = vector
            default: break
            }
            avps.append(AVPEntry(avp, mandatory: mandatory, hidden: hidden))
        }
        return avps
    }
}

// MARK: - Encoding

extension ControlMessage {
    /// Encodes the message (RFC 2661 3.1, 4.1) after the buffer's writer index.
    ///
    /// AVPs with `isHidden` are hidden with `secret` (RFC 2661 4.3). If no
    /// Random Vector AVP precedes the first of them, one carrying
    /// `randomVector` is inserted just before it; callers pass fresh random
    /// octets (16 recommended), tests pass fixed ones. `hiddenPadding` zero
    /// octets are added to each hidden subformat to mask value lengths.
    ///
    /// On error nothing is left written in the buffer.
    public func encode(
        into buffer: inout ByteBuffer, secret: [UInt8]? = nil, randomVector: [UInt8]? = nil, hiddenPadding: Int = 0
    ) throws(L2TPWireError) {
        let start = buffer.writerIndex
        do {
            try encodeUnchecked(into: &buffer, secret: secret, randomVector: randomVector, hiddenPadding: hiddenPadding)
        } catch {
            buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    /// Convenience: encodes into a fresh buffer.
    public func encoded(
        secret: [UInt8]? = nil, randomVector: [UInt8]? = nil, hiddenPadding: Int = 0
    ) throws(L2TPWireError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try encode(into: &buffer, secret: secret, randomVector: randomVector, hiddenPadding: hiddenPadding)
        return buffer
    }

    private func encodeUnchecked(
        into buffer: inout ByteBuffer, secret: [UInt8]?, randomVector: [UInt8]?, hiddenPadding: Int
    ) throws(L2TPWireError) {
        let start = buffer.writerIndex
        let header = L2TPHeader(
            isControl: true, hasLength: true, tunnelID: tunnelID, sessionID: sessionID, ns: ns, nr: nr)
        header.write(into: &buffer)
        var currentVector: [UInt8]?
        let padding = [UInt8](repeating: 0, count: max(0, hiddenPadding))
        for entry in avps {
            let attribute = entry.value.attribute
            if case .randomVector(let vector) = entry.value { currentVector = vector }
            guard entry.isHidden else {
                let avpStart = buffer.writeAVPHeader(
                    mandatory: entry.isMandatory, hidden: false, vendorID: attribute.vendorID, type: attribute.type)
                entry.value.writeValue(into: &buffer)
                try buffer.patchAVPLength(at: avpStart, attribute: attribute)
                continue
            }
            if let type = entry.value.type, !type.rule.mayBeHidden { throw .avpMayNotBeHidden(attribute) }
            guard let secret else { throw .hiddenAVPWithoutSecret(offset: nil, attribute: attribute) }
            if currentVector == nil {
                guard let randomVector, !randomVector.isEmpty else {
                    throw .hiddenAVPWithoutRandomVector(offset: nil, attribute: attribute)
                }
                try buffer.writeAVP(
                    mandatory: true, hidden: false, vendorID: 0, type: AVPType.randomVector.rawValue,
                    value: randomVector)
                currentVector = randomVector
            }
            var plain = ByteBuffer()
            entry.value.writeValue(into: &plain)
            let hiddenValue = HiddenAVP.hide(
                plain.l2tpBytes, attributeType: attribute.type, secret: secret, randomVector: currentVector!,
                padding: padding)
            try buffer.writeAVP(
                mandatory: entry.isMandatory, hidden: true, vendorID: attribute.vendorID, type: attribute.type,
                value: hiddenValue)
        }
        let length = buffer.writerIndex - start
        guard length <= Int(UInt16.max) else {
            throw .valueTooLong("message length", length: length, limit: Int(UInt16.max))
        }
        buffer.setInteger(UInt16(length), at: start + 2)
    }
}

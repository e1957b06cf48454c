/// Encodes events exactly as pppd's openl2tp.so does (host byte order, every
/// TLV padded to 4 bytes, strings with their NUL). Used by tests and by test
/// tools that stand in for pppd.
public enum PPPEventEncoder {
    public static func encode(_ event: PPPEvent) throws(PPPEventError) -> [UInt8] {
        var tlvs: [(PPPEventWire.TLVType, [UInt8])] = []
        let type: PPPEventWire.MessageType
        switch event {
        case .null:
            type = .null
        case .upDown(let state):
            type = .pppUpDown
            tlvs = [
                (.tunnelID, bytes(of: state.tunnelID)), (.sessionID, bytes(of: state.sessionID)),
                (.state, [state.isUp ? 1 : 0]), (.pppUnit, bytes(of: state.unit)),
                (.interfaceName, Array(state.interfaceName.utf8) + [0]),
            ]
            if let user = state.userName { tlvs.append((.userName, Array(user.utf8) + [0])) }
        case .accm(let accm):
            type = .pppACCM
            tlvs = [
                (.tunnelID, bytes(of: accm.tunnelID)), (.sessionID, bytes(of: accm.sessionID)),
                (.accm, bytes(of: accm.sendACCM) + bytes(of: accm.receiveACCM)),
            ]
        }
        return try encode(type: type.rawValue, tlvs: tlvs.map { ($0.0.rawValue, $0.1) })
    }

    /// Any message type and TLV list, for tests of the decoder's leniency.
    public static func encode(type: UInt16, tlvs: [(type: UInt16, value: [UInt8])]) throws(PPPEventError) -> [UInt8] {
        var data: [UInt8] = []
        for tlv in tlvs {
            guard tlv.value.count <= Int(UInt16.max) else {
                throw .valueTooLong(type: tlv.type, length: tlv.value.count)
            }
            data += bytes(of: tlv.type) + bytes(of: UInt16(tlv.value.count)) + tlv.value
            data += [UInt8](repeating: 0, count: PPPEventWire.aligned(tlv.value.count) - tlv.value.count)
        }
        guard PPPEventWire.headerLength + data.count <= PPPEventWire.maximumMessageLength else {
            throw .valueTooLong(type: tlvs.last?.type ?? 0, length: data.count)
        }
        return bytes(of: PPPEventWire.signature) + bytes(of: type) + bytes(of: UInt16(data.count)) + data
    }

    private static func bytes<Integer: FixedWidthInteger>(of value: Integer) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}

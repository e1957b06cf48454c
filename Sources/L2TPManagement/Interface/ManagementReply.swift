import ONCRPC

/// The result of every procedure but NULL: a status, a message for humans and
/// zero or more records. `l2tp_rpc.x`: `l2tp_reply`.
///
/// Create procedures return the new object (with its id, e.g. `tunnel_id`) as
/// the first record; list procedures one record per object.
public struct ManagementReply: Hashable, Sendable, XDRCodable {
    public var status: ManagementStatus
    /// Explains a failure in words naming the parameter ("dest_ipaddr: not an
    /// IPv4 address"); may be empty on success.
    public var message: String
    public var records: [ManagementRecord]

    public init(status: ManagementStatus = .ok, message: String = "", records: [ManagementRecord] = []) {
        self.status = status
        self.message = message
        self.records = records
    }

    public static func success(_ records: [ManagementRecord] = []) -> ManagementReply {
        .init(status: .ok, records: records)
    }

    public static func failure(_ status: ManagementStatus, _ message: String) -> ManagementReply {
        .init(status: status, message: message)
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(status.rawValue)
        encoder.encode(message)
        encoder.encode(array: records)
    }

    public init(from decoder: inout XDRDecoder) throws {
        status = ManagementStatus(rawValue: try decoder.decodeInt32(field: "l2tp_reply.status"))
        message = try decoder.decodeString(
            maxLength: L2TPManagementProtocol.maxMessageLength, field: "l2tp_reply.message")
        records = try decoder.decodeArray(field: "l2tp_reply.records")
    }
}

import ONCRPC

/// One `name=value` argument in the command grammar's names
/// (`dest_ipaddr` = "192.0.2.1"). `l2tp_rpc.x`: `l2tp_param`.
public struct ManagementParameter: Hashable, Sendable, XDRCodable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(name)
        encoder.encode(value)
    }

    public init(from decoder: inout XDRDecoder) throws {
        name = try decoder.decodeString(maxLength: L2TPManagementProtocol.maxNameLength, field: "l2tp_param.name")
        value = try decoder.decodeString(
            maxLength: L2TPManagementProtocol.maxParameterValueLength, field: "l2tp_param.value")
    }
}

/// The argument of every procedure: an ordered list of parameters. Keeping the
/// request generic lets the daemon add parameters without a new RPC version.
/// The daemon takes each name whole as one parameter or flag of the
/// procedure's command (exact spelling, no abbreviation) and converts each
/// value with that parameter's type from the command grammar's tables; a
/// name given twice is refused (docs/management.md).
/// `l2tp_rpc.x`: `l2tp_request`.
public struct ManagementRequest: Hashable, Sendable, XDRCodable {
    public var parameters: [ManagementParameter]

    public init(parameters: [ManagementParameter] = []) {
        self.parameters = parameters
    }

    /// `ManagementRequest(["tunnel_name": "t1", "dest_ipaddr": "192.0.2.1"])`, in order.
    public init(_ pairs: KeyValuePairs<String, String>) {
        parameters = pairs.map { ManagementParameter(name: $0.key, value: $0.value) }
    }

    /// The last value given for `name` (the daemon refuses a request that gives a name twice).
    public subscript(name: String) -> String? {
        parameters.last(where: { $0.name == name })?.value
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(array: parameters)
    }

    public init(from decoder: inout XDRDecoder) throws {
        parameters = try decoder.decodeArray(
            maxCount: L2TPManagementProtocol.maxParameters, field: "l2tp_request.params")
    }
}

extension ManagementRequest: ExpressibleByDictionaryLiteral {
    /// `client.call(.tunnelCreate, ["dest_ipaddr": "192.0.2.1"])`; order is kept.
    public init(dictionaryLiteral elements: (String, String)...) {
        parameters = elements.map { ManagementParameter(name: $0.0, value: $0.1) }
    }
}

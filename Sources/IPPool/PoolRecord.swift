/// A typed value of a reply record (maps 1:1 onto the RPC `ippool_value`).
public enum PoolValue: Hashable, Sendable {
    case string(String)
    case uint(UInt64)
    case bool(Bool)
    case ipv4(UInt32)
}

/// One object of a reply: a pool, an allocation, the saved configuration.
public struct PoolRecord: Hashable, Sendable {
    public var kind: String
    public var fields: [Field]

    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: PoolValue
        public init(_ name: String, _ value: PoolValue) {
            self.name = name
            self.value = value
        }
    }

    public init(kind: String, fields: [Field]) {
        self.kind = kind
        self.fields = fields
    }

    public subscript(name: String) -> PoolValue? { fields.first { $0.name == name }?.value }
}

/// One `name=value` parameter of a pool command.
public struct PoolParameter: Hashable, Sendable {
    public enum ValueKind: Hashable, Sendable {
        case name, address, count, netmask, flag
    }

    public let name: String
    public let kind: ValueKind
    public let help: String

    public static let poolName = PoolParameter(name: "pool_name", kind: .name, help: "the pool's name")
    public static let firstAddress = PoolParameter(
        name: "first_addr", kind: .address, help: "first IPv4 address of the block")
    public static let numAddresses = PoolParameter(
        name: "num_addrs", kind: .count, help: "number of addresses (1-65536)")
    public static let netmask = PoolParameter(
        name: "netmask", kind: .netmask, help: "the block is first_addr's network under this mask (/16-/32)")
    public static let maxAddresses = PoolParameter(
        name: "max_addrs", kind: .count, help: "at most this many allocated at once (0: no limit)")
    public static let drain = PoolParameter(
        name: "drain", kind: .flag, help: "yes: refuse new allocations (existing ones can be freed)")
    public static let address = PoolParameter(name: "addr", kind: .address, help: "an allocated address")

    /// Checks the text of a value; returns it normalised (flags as yes/no).
    public func validate(_ value: String) throws(IPPoolError) -> String {
        switch kind {
        case .name:
            try AddressPool.validate(name: value)
            return value
        case .address:
            guard let address = IPv4(value) else {
                throw .invalidParameter(name, "'\(value)' is not a dotted-quad IPv4 address")
            }
            return address.description
        case .count:
            guard let number = UInt32(value), !value.hasPrefix("+") else {
                throw .invalidParameter(name, "'\(value)' is not a non-negative number")
            }
            return String(number)
        case .netmask:
            return "/\(try Self.prefixLength(value))"
        case .flag:
            switch value.lowercased() {
            case "yes", "on", "true", "1": return "yes"
            case "no", "off", "false", "0": return "no"
            default: throw .invalidParameter(name, "'\(value)' is not yes or no")
            }
        }
    }

    /// `255.255.255.0`, `/24` or `24`; contiguous masks only.
    static func prefixLength(_ text: String) throws(IPPoolError) -> Int {
        var digits = Substring(text)
        if digits.hasPrefix("/") { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits),
            n <= 32
        {
            return n
        }
        if let mask = IPv4(text) {
            let ones = (~mask.value).leadingZeroBitCount
            let expected: UInt32 = ones == 0 ? 0 : ~UInt32(0) << (32 - ones)
            if mask.value == expected { return ones }
        }
        throw .invalidParameter("netmask", "'\(text)' is not a contiguous netmask (e.g. 255.255.255.0 or /24)")
    }
}

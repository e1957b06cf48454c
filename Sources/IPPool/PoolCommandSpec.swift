/// What one command takes: its parameters, which are required, and which
/// alternatives (`num_addrs` or `netmask`) must or may be given.
public struct PoolCommandSpec: Sendable {
    public let path: PoolCommandPath
    public let help: String
    public let parameters: [PoolParameter]
    public let required: [String]
    /// Exactly one of each group must be given.
    public let exactlyOneOf: [[String]]

    public static let all: [PoolCommandSpec] = [
        .init(path: .systemShow, help: "show ippoold's version", parameters: [], required: [], exactlyOneOf: []),
        .init(
            path: .poolCreate, help: "create a pool, optionally with its first block",
            parameters: [.poolName, .firstAddress, .numAddresses, .netmask, .maxAddresses, .drain],
            required: ["pool_name"], exactlyOneOf: []),
        .init(
            path: .poolDelete, help: "delete a pool", parameters: [.poolName], required: ["pool_name"], exactlyOneOf: []
        ),
        .init(
            path: .poolModify, help: "change a pool's settings", parameters: [.poolName, .maxAddresses, .drain],
            required: ["pool_name"], exactlyOneOf: []),
        .init(
            path: .poolShow, help: "show a pool: settings, statistics, allocated and reserved addresses",
            parameters: [.poolName], required: ["pool_name"], exactlyOneOf: []),
        .init(
            path: .poolList, help: "list pools with their statistics", parameters: [], required: [], exactlyOneOf: []),
        .init(
            path: .addressAdd, help: "add a block of addresses to a pool",
            parameters: [.poolName, .firstAddress, .numAddresses, .netmask], required: ["pool_name", "first_addr"],
            exactlyOneOf: [["num_addrs", "netmask"]]),
        .init(
            path: .addressRemove, help: "remove a block (as it was added) from a pool",
            parameters: [.poolName, .firstAddress, .numAddresses, .netmask], required: ["pool_name", "first_addr"],
            exactlyOneOf: [["num_addrs", "netmask"]]),
        .init(
            path: .addressReserve, help: "set addresses aside (never allocated); num_addrs defaults to 1",
            parameters: [.poolName, .firstAddress, .numAddresses], required: ["pool_name", "first_addr"],
            exactlyOneOf: []),
        .init(
            path: .addressUnreserve, help: "make reserved addresses allocatable again",
            parameters: [.poolName, .firstAddress, .numAddresses], required: ["pool_name", "first_addr"],
            exactlyOneOf: []),
        .init(
            path: .allocate, help: "take an address from a pool (what the ippool plugin does)",
            parameters: [.poolName], required: ["pool_name"], exactlyOneOf: []),
        .init(
            path: .free, help: "give an allocated address back", parameters: [.poolName, .address],
            required: ["pool_name", "addr"], exactlyOneOf: []),
        .init(
            path: .configSave, help: "print the pools as commands ippoold -c reads back", parameters: [], required: [],
            exactlyOneOf: []),
    ]

    public static func spec(for path: PoolCommandPath) -> PoolCommandSpec {
        all.first { $0.path == path }!
    }

    /// Checks names, values, required parameters and alternatives; returns
    /// the arguments with full names and normalised values, in given order.
    public func validate(_ arguments: [(name: String, value: String)]) throws(IPPoolError) -> [(
        name: String, value: String
    )] {
        var result: [(name: String, value: String)] = []
        // `name=` means "not set", as in the l2tpconfig grammar
        // (docs/configuration.md, "Empty values").
        var givenEmpty: Set<String> = []
        for (name, value) in arguments {
            guard let parameter = parameters.first(where: { $0.name == name }) else {
                throw .unknownParameter(name, command: path.rawValue, valid: parameters.map(\.name))
            }
            guard !result.contains(where: { $0.name == name }), !givenEmpty.contains(name) else {
                throw .invalidParameter(name, "given more than once")
            }
            if value.isEmpty {
                givenEmpty.insert(name)
                continue
            }
            result.append((name, try parameter.validate(value)))
        }
        for name in required where !result.contains(where: { $0.name == name }) {
            if givenEmpty.contains(name) {
                throw .invalidParameter(name, "is required by '\(path.rawValue)' but was given an empty value")
            }
            throw .missingParameter(name, command: path.rawValue)
        }
        if path == .poolCreate, givenEmpty.contains("first_addr"),
            result.contains(where: { $0.name == "num_addrs" || $0.name == "netmask" })
        {
            throw .invalidParameter("first_addr", "is needed for the pool's first block but was given an empty value")
        }
        for group in exactlyOneOf {
            let given = group.filter { name in result.contains { $0.name == name } }
            if given.isEmpty { throw .missingParameter(group.joined(separator: " or "), command: path.rawValue) }
            if given.count > 1 {
                throw .invalidParameter(given[1], "cannot be combined with \(given[0])")
            }
        }
        if path == .poolCreate {
            let names = Set(result.map(\.name))
            if names.contains("first_addr") != (names.contains("num_addrs") || names.contains("netmask"))
                || (names.contains("num_addrs") && names.contains("netmask"))
            {
                throw .invalidParameter(
                    "first_addr", "give first_addr with exactly one of num_addrs or netmask, or none of them")
            }
        }
        return result
    }
}

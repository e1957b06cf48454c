/// Why a pool operation or a pool command failed. A public struct over a
/// private code (the swift-certificates style): callers match on `kind`,
/// messages name the pool, the parameter and the address at fault.
public struct IPPoolError: Error, Hashable, Sendable, CustomStringConvertible {
    fileprivate enum Code: Hashable, Sendable {
        case poolNotFound, poolExists, invalidParameter, missingParameter, unknownParameter
        case overlap, notInPool, notAllocated, notFree, exhausted, inUse, syntax, draining
    }

    public struct Kind: Hashable, Sendable {
        fileprivate let code: Code
        public static let poolNotFound = Kind(code: .poolNotFound)
        public static let poolExists = Kind(code: .poolExists)
        public static let invalidParameter = Kind(code: .invalidParameter)
        public static let missingParameter = Kind(code: .missingParameter)
        public static let unknownParameter = Kind(code: .unknownParameter)
        public static let overlap = Kind(code: .overlap)
        public static let notInPool = Kind(code: .notInPool)
        public static let notAllocated = Kind(code: .notAllocated)
        public static let notFree = Kind(code: .notFree)
        public static let exhausted = Kind(code: .exhausted)
        public static let inUse = Kind(code: .inUse)
        public static let syntax = Kind(code: .syntax)
        public static let draining = Kind(code: .draining)
    }

    private let code: Code
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var kind: Kind { Kind(code: code) }
    public var description: String { message }

    /// The errno-style status the RPC reply carries (negative), so scripts
    /// and the plugin can tell "no such pool" from "pool exhausted".
    public var status: Int32 {
        switch code {
        case .poolNotFound, .notInPool: -2  // ENOENT
        case .poolExists: -17  // EEXIST
        case .invalidParameter, .missingParameter, .unknownParameter, .syntax, .overlap, .notAllocated, .notFree:
            -22  // EINVAL
        case .exhausted: -28  // ENOSPC
        case .inUse, .draining: -16  // EBUSY
        }
    }

    public static func poolNotFound(_ name: String) -> IPPoolError {
        .init(.poolNotFound, "pool_name: no pool named '\(name)'")
    }
    public static func poolExists(_ name: String) -> IPPoolError {
        .init(.poolExists, "pool_name: a pool named '\(name)' already exists")
    }
    public static func invalidParameter(_ name: String, _ reason: String) -> IPPoolError {
        .init(.invalidParameter, "\(name): \(reason)")
    }
    public static func missingParameter(_ name: String, command: String) -> IPPoolError {
        .init(.missingParameter, "\(name): required by '\(command)'")
    }
    public static func unknownParameter(_ name: String, command: String, valid: [String]) -> IPPoolError {
        .init(
            .unknownParameter,
            "\(name): not a parameter of '\(command)' (valid: \(valid.isEmpty ? "none" : valid.joined(separator: ", ")))"
        )
    }
    public static func overlap(_ block: AddressBlock, with other: AddressBlock, pool: String) -> IPPoolError {
        .init(.overlap, "first_addr: block \(block) overlaps block \(other) of pool '\(pool)'")
    }
    public static func notInPool(_ address: IPv4, pool: String) -> IPPoolError {
        .init(.notInPool, "\(address) is not an address of pool '\(pool)'")
    }
    public static func noSuchBlock(_ block: AddressBlock, pool: String) -> IPPoolError {
        .init(.notInPool, "first_addr: pool '\(pool)' has no block \(block) (remove whole blocks as added)")
    }
    public static func notAllocated(_ address: IPv4, pool: String, state: String) -> IPPoolError {
        .init(.notAllocated, "addr: \(address) of pool '\(pool)' is not allocated (it is \(state))")
    }
    public static func notFree(_ address: IPv4, pool: String, state: String) -> IPPoolError {
        .init(.notFree, "\(address) of pool '\(pool)' is \(state)")
    }
    public static func exhausted(pool: String, reason: String) -> IPPoolError {
        .init(.exhausted, "pool '\(pool)' has no address to give: \(reason)")
    }
    public static func inUse(pool: String, allocated: Int, action: String) -> IPPoolError {
        .init(.inUse, "cannot \(action): \(allocated) address(es) of pool '\(pool)' are allocated; free them first")
    }
    public static func draining(pool: String) -> IPPoolError {
        .init(.draining, "pool '\(pool)' is draining (drain=yes): no new allocations")
    }
    public static func syntax(_ message: String) -> IPPoolError {
        .init(.syntax, message)
    }
}

/// Every ippoolconfig / ippoold.conf command, with its RPC procedure
/// (docs/ippool_rpc.x, program 300775 version 1).
public enum PoolCommandPath: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case systemShow = "system show"
    case poolCreate = "pool create"
    case poolDelete = "pool delete"
    case poolModify = "pool modify"
    case poolShow = "pool show"
    case poolList = "pool list"
    case addressAdd = "pool address add"
    case addressRemove = "pool address remove"
    case addressReserve = "pool address reserve"
    case addressUnreserve = "pool address unreserve"
    case allocate = "pool allocate"
    case free = "pool free"
    case configSave = "config save"

    public var words: [String] { rawValue.split(separator: " ").map(String.init) }
    public var description: String { rawValue }

    public var procedure: IPPoolProcedure {
        switch self {
        case .systemShow: .appInfoGet
        case .poolCreate: .poolCreate
        case .poolDelete: .poolDelete
        case .poolModify: .poolModify
        case .poolShow: .poolGet
        case .poolList: .poolList
        case .addressAdd: .addressAdd
        case .addressRemove: .addressRemove
        case .addressReserve: .addressReserve
        case .addressUnreserve: .addressUnreserve
        case .allocate: .addressAllocate
        case .free: .addressFree
        case .configSave: .configSave
        }
    }

    /// Commands that describe configuration (allowed in `ippoold -c FILE`
    /// and written by `config save`); allocations are runtime state only.
    public var allowedInConfigFile: Bool {
        switch self {
        case .poolCreate, .poolModify, .addressAdd, .addressRemove, .addressReserve, .addressUnreserve: true
        default: false
        }
    }
}

/// ONC RPC program 300775 version 1 (docs/ippool_rpc.x). Every procedure but
/// NULL takes `ippool_request` (name=value list) and returns `ippool_reply`,
/// the same XDR shapes as openl2tpd's `l2tp_request` / `l2tp_reply`.
public enum IPPoolProcedure: UInt32, CaseIterable, Hashable, Sendable {
    case null = 0
    case appInfoGet = 1
    case poolCreate = 2
    case poolDelete = 3
    case poolModify = 4
    case poolGet = 5
    case poolList = 6
    case addressAdd = 7
    case addressRemove = 8
    case addressReserve = 9
    case addressUnreserve = 10
    case addressAllocate = 11
    case addressFree = 12
    case configSave = 13

    public static let program: UInt32 = 300_775
    public static let version: UInt32 = 1
    /// ippoold's default Unix socket.
    public static let defaultSocketPath = "/run/ippoold/ippoold.sock"

    public var commandPath: PoolCommandPath? { PoolCommandPath.allCases.first { $0.procedure == self } }
}

import IPPool
import Logging

/// The daemon's pools behind an actor: RPC calls from every connection are
/// serialised here, so allocation stays a plain, synchronous model operation.
public actor PoolStore {
    public private(set) var pools: PoolSet
    let logger: Logger

    public init(pools: PoolSet = PoolSet(), logger: Logger = Logger(label: "ippoold")) {
        self.pools = pools
        self.logger = logger
    }

    /// Validates and runs one command; failures come back as `IPPoolError`.
    public func run(_ path: PoolCommandPath, _ arguments: [(name: String, value: String)]) throws(IPPoolError)
        -> [PoolRecord]
    {
        let valid = try PoolCommandSpec.spec(for: path).validate(arguments)
        do {
            let records = try pools.execute(path, valid)
            switch path {
            case .allocate:
                logger.info(
                    "allocated \(records.first.map { Self.text($0["addr"]) } ?? "") from pool \(valid.first { $0.name == "pool_name" }?.value ?? "")"
                )
            case .free:
                logger.info(
                    "freed \(valid.first { $0.name == "addr" }?.value ?? "") to pool \(valid.first { $0.name == "pool_name" }?.value ?? "")"
                )
            case .poolShow, .poolList, .configSave, .systemShow:
                break
            default:
                logger.debug("\(path) \(valid.map { "\($0.name)=\($0.value)" }.joined(separator: " "))")
            }
            return records
        } catch {
            logger.notice("\(path) refused: \(error.message)")
            throw error
        }
    }

    static func text(_ value: PoolValue?) -> String {
        switch value {
        case .ipv4(let v): IPv4(v).description
        case .string(let s): s
        case .uint(let u): String(u)
        case .bool(let b): b ? "yes" : "no"
        case nil: ""
        }
    }
}

extension PoolStore {
    /// Swaps in a reloaded configuration, keeping current allocations where
    /// their pool and address still exist; returns the ones that do not.
    public func replace(with fresh: PoolSet) -> [(pool: String, address: IPv4)] {
        let (merged, lost) = fresh.adoptingAllocations(of: pools)
        pools = merged
        return lost
    }
}

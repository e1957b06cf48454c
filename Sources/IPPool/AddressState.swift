/// What one address of a pool is doing.
public enum AddressState: UInt8, Hashable, Sendable, CustomStringConvertible {
    case free = 0
    case allocated = 1
    /// Set aside by the operator (`pool address reserve`): never allocated.
    case reserved = 2

    public var description: String {
        switch self {
        case .free: "free"
        case .allocated: "allocated"
        case .reserved: "reserved"
        }
    }
}

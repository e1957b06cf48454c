import L2TPManagement

/// Field names with more than one spelling. docs/management-rpc.md names the
/// live addresses `peer_ipaddr`/`our_ipaddr`, the origin `created_by`
/// ("local"/"remote") and user times `created`; records that echo parameters
/// use `dest_ipaddr`/`src_ipaddr`, and `created_by_admin`/`create_time` are
/// accepted too. The first name present wins.
extension ManagementRecord {
    subscript(anyOf names: String...) -> ManagementValue? {
        for name in names {
            if let value = self[name] { return value }
        }
        return nil
    }

    var peerAddress: ManagementValue? { self[anyOf: "peer_ipaddr", "dest_ipaddr"] }
    var localAddress: ManagementValue? { self[anyOf: "our_ipaddr", "src_ipaddr", "local_ipaddr"] }
    var creationTime: ManagementValue? { self[anyOf: "create_time", "created"] }

    /// Whether the peer created the object (shown with `*`); nil when unknown.
    var createdRemotely: Bool? {
        if case .string(let origin)? = self["created_by"] { return origin.lowercased() == "remote" }
        if case .bool(let admin)? = self["created_by_admin"] { return !admin }
        return nil
    }

    /// `created_by_admin`, or derived from `created_by`.
    var createdByAdmin: ManagementValue? {
        createdRemotely.map { .bool(!$0) }
    }
}

extension ProfileStore {
    /// Chooses the peer profile for an incoming SCCRQ, in OpenL2TP's order:
    /// 1. the profile whose name equals the peer's Host Name AVP (RFC 2661 4.4.3);
    /// 2. a profile whose `peer_ipaddr` equals the source address;
    /// 3. of the profiles whose `peer_ipaddr`/`netmask` network contains the
    ///    address, the one with the longest mask;
    /// 4. `default`.
    /// Ties (same address or same mask length) go to the alphabetically first
    /// name, so the choice never depends on insertion order.
    public func selectPeerProfile(hostName: String?, address: IPv4Address) -> PeerProfile {
        if let hostName, let byName = peerProfiles[hostName] {
            return byName
        }
        let candidates = names(.peer).compactMap { peerProfiles[$0] }.filter {
            !$0.isDefault && $0.peerIPAddress != nil
        }
        if let exact = candidates.filter({ $0.peerIPAddress == address })
            .max(by: { ($0.netmask.prefixLength, $1.name) < ($1.netmask.prefixLength, $0.name) })
        {
            return exact
        }
        let matching = candidates.filter { profile in
            guard let network = profile.peerIPAddress else { return false }
            return profile.netmask.contains(address, network: network)
        }
        if let longest = matching.max(by: { ($0.netmask.prefixLength, $1.name) < ($1.netmask.prefixLength, $0.name) }) {
            return longest
        }
        return peerProfiles["default"] ?? PeerProfile(name: "default")
    }
}

/// The settings in effect for one tunnel: its profiles and the request's
/// overrides, resolved once when the tunnel is created.
public struct ResolvedTunnel: Hashable, Sendable {
    public let peerProfile: PeerProfile
    /// Effective tunnel settings: the tunnel profile with the request's
    /// arguments applied on top. `settings.name` is the tunnel profile's name.
    public let settings: TunnelProfile
    /// Session and PPP profile names for sessions in this tunnel: the tunnel's
    /// own (request or tunnel profile), else the peer profile's.
    public let sessionProfileName: String
    public let pppProfileName: String
}

import L2TPWire

/// Tunnel authentication mode (OpenL2TP's `auth_mode`).
public enum TunnelAuthMode: String, Hashable, Sendable, CaseIterable {
    /// No check of the peer.
    case none
    /// The peer's Host Name AVP must match `expectedPeerHostName` when set.
    case simple
    /// CHAP-like Challenge / Challenge Response with the shared secret
    /// (RFC 2661 5.1.1, 4.4.3), checked both ways.
    case challenge
}

/// Everything one control connection needs to know; the daemon maps its
/// tunnel/peer profiles onto this (no dependency on L2TPConfig).
public struct TunnelParameters: Hashable, Sendable {
    /// Our Host Name AVP (RFC 2661 4.4.3); must not be empty.
    public var hostName: String = "openl2tp"
    /// Shared secret for challenge authentication and hidden AVPs (RFC 2661 4.3).
    public var secret: [UInt8]? = nil
    public var authMode: TunnelAuthMode = .none
    /// For `.simple`: the Host Name the peer must present.
    public var expectedPeerHostName: String? = nil
    /// Hide AVPs that may be hidden (never in SCCRQ, many peers choke on it). Needs a secret.
    public var hideAVPs: Bool = false
    public var framingCapabilities: FramingCapabilities = [.synchronous, .asynchronous]
    public var bearerCapabilities: BearerCapabilities = [.digital, .analog]
    /// Send a Tie Breaker AVP in SCCRQ (RFC 2661 4.4.3).
    public var useTieBreaker: Bool = false
    public var firmwareRevision: UInt16? = 0x0100
    public var vendorName: String? = "openl2tp-swift"
    /// Reliable transport: receive window (10), retry timeout (1 s), cap (8 s), retries (5).
    public var transport = TransportConfiguration()
    /// Hello after this much silence (RFC 2661 5.5); nil disables Hello.
    public var helloTimeout: L2TPDuration? = .seconds(60)
    /// Give up if the tunnel is not established in this time (OpenL2TP 120 s).
    public var establishTimeout: L2TPDuration = .seconds(120)

    public init() {}

    public var receiveWindow: UInt16 {
        get { transport.receiveWindow }
        set { transport.receiveWindow = newValue }
    }
    public var retryTimeout: L2TPDuration {
        get { transport.retryTimeout }
        set { transport.retryTimeout = newValue }
    }
    public var retryTimeoutCap: L2TPDuration {
        get { transport.retryTimeoutCap }
        set { transport.retryTimeoutCap = newValue }
    }
    public var maxRetries: Int {
        get { transport.maxRetries }
        set { transport.maxRetries = newValue }
    }

    /// Whether AVPs are actually hidden: RFC 2661 4.3 needs a secret.
    var hidesAVPs: Bool { hideAVPs && !(secret ?? []).isEmpty }
}

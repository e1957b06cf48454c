/// The enumerated parameter values, as Swift enums so the daemon switches over
/// them exhaustively. Raw values are the words used in commands.

/// `framing_caps`: which framings we offer (RFC 2661 4.4.3 Framing Capabilities).
public enum FramingCapabilities: String, CaseIterable, Sendable { case sync, async, any }

/// `bearer_caps`: which bearers we offer (RFC 2661 4.4.3 Bearer Capabilities).
public enum BearerCapabilities: String, CaseIterable, Sendable { case digital, analog, any }

/// `auth_mode`: tunnel authentication. `challenge` uses the RFC 2661 4.4.3
/// Challenge/Response AVPs and needs a secret.
public enum TunnelAuthMode: String, CaseIterable, Sendable { case none, simple, challenge }

/// `session_type`: LAC/LNS incoming/outgoing call.
public enum SessionType: String, CaseIterable, Sendable { case laic, laoc, lnic, lnoc }

/// `framing_type` of a session (RFC 2661 4.4.5 Framing Type).
public enum FramingType: String, CaseIterable, Sendable { case sync, async }

/// `bearer_type` of a session (RFC 2661 4.4.5 Bearer Type); `none` sends no AVP.
public enum BearerType: String, CaseIterable, Sendable { case none, digital, analog }

/// `sync_mode` of a PPP profile: how pppd frames data.
public enum PPPSyncMode: String, CaseIterable, Sendable { case sync, async, any }

/// `lac_lns` of a peer profile: which roles we accept with that peer.
public enum PeerRole: String, CaseIterable, Sendable { case lac, lns, laclns }

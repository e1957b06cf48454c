import NIOCore

/// Limits that keep a slow or hostile management client from stalling or
/// exhausting the daemon. Defaults suit production; tests shorten the timeouts.
public struct RPCServerConfiguration: Sendable {
    /// Name used in messages ("openl2tpd is already running ...").
    public var serviceName: String
    /// Largest request record accepted (RFC 5531 11 framing); larger closes the connection.
    public var maxRequestSize: Int
    /// Fragment size for replies; larger replies go out as several fragments.
    public var maxReplyFragmentSize: Int
    /// A connection with no traffic and no call in progress for this long is closed.
    public var idleTimeout: TimeAmount
    /// Once a request's first byte arrives, the whole record must follow within this.
    public var requestTimeout: TimeAmount
    /// Connections beyond this are closed on accept.
    public var maxConnections: Int
    /// Complete requests queued behind the one running (pipelining); beyond this
    /// the connection is closed.
    public var maxQueuedRequests: Int

    public init(
        serviceName: String = "openl2tpd",
        maxRequestSize: Int = 1 << 20,
        maxReplyFragmentSize: Int = 256 << 10,
        idleTimeout: TimeAmount = .seconds(60),
        requestTimeout: TimeAmount = .seconds(10),
        maxConnections: Int = 32,
        maxQueuedRequests: Int = 8
    ) {
        self.serviceName = serviceName
        self.maxRequestSize = maxRequestSize
        self.maxReplyFragmentSize = maxReplyFragmentSize
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
        self.maxQueuedRequests = maxQueuedRequests
    }
}

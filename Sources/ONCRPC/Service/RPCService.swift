/// One ONC RPC program served by a transport: openl2tpd's 300773, ippoold's 300775.
///
/// The transport and `RPCCallAcceptor` handle everything generic (framing,
/// version checks, NULL procedure, authorization); the service only maps a
/// procedure number and argument bytes to result bytes.
public protocol RPCService: Sendable {
    /// RFC 5531 9 `prog`.
    var program: UInt32 { get }
    /// Versions served; reported in PROG_MISMATCH.
    var versions: ClosedRange<UInt32> { get }
    /// Whether `procedure` exists in `version` (else PROC_UNAVAIL). Procedure 0
    /// (NULL) is answered by the acceptor and need not be listed.
    func supports(procedure: UInt32, version: UInt32) -> Bool
    /// Runs one procedure. Called once per accepted call; calls on one
    /// connection are handled in order.
    func handle(_ call: RPCIncomingCall) async -> RPCProcedureOutcome
}

/// An authenticated, authorized call for a procedure the service supports.
public struct RPCIncomingCall: Sendable {
    public var xid: UInt32
    public var version: UInt32
    public var procedure: UInt32
    public var credential: RPCOpaqueAuth
    /// XDR-encoded arguments.
    public var arguments: [UInt8]
    public var caller: RPCCaller

    public init(
        xid: UInt32, version: UInt32, procedure: UInt32, credential: RPCOpaqueAuth, arguments: [UInt8],
        caller: RPCCaller
    ) {
        self.xid = xid
        self.version = version
        self.procedure = procedure
        self.credential = credential
        self.arguments = arguments
        self.caller = caller
    }
}

/// What a procedure produced.
public enum RPCProcedureOutcome: Sendable, Hashable {
    /// XDR-encoded results.
    case success([UInt8])
    /// The arguments did not decode (RFC 5531 GARBAGE_ARGS).
    case garbageArguments
    /// The server failed internally (RFC 5531 SYSTEM_ERR).
    case systemError
}

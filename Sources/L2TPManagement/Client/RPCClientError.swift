import ONCRPC

/// Why a management call failed, in words an operator can act on. The CLI
/// prints `description` as is.
public struct RPCClientError: Error, Hashable, CustomStringConvertible, Sendable {
    private enum Code: Hashable, Sendable {
        case cannotReach
        case timedOut
        case connectionClosed
        case malformedReply
        case replyTooLarge
        case denied
        case notAccepted
        case notRegistered
    }

    private let code: Code
    public let description: String

    private init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func == (lhs: RPCClientError, rhs: RPCClientError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The daemon is not running, or its socket is not reachable.
    public static func cannotReach(serviceName: String, target: String, reason: String) -> RPCClientError {
        .init(.cannotReach, "cannot reach \(serviceName) at \(target): \(reason)")
    }

    public static func timedOut(serviceName: String, target: String, seconds: Double) -> RPCClientError {
        .init(.timedOut, "\(serviceName) at \(target) did not answer within \(seconds) s")
    }

    public static func connectionClosed(serviceName: String, target: String) -> RPCClientError {
        .init(.connectionClosed, "\(serviceName) at \(target) closed the connection before replying")
    }

    /// End of file, reset or broken pipe in the middle of a call.
    var isConnectionClosed: Bool { code == .connectionClosed }

    public static func malformedReply(serviceName: String, detail: String) -> RPCClientError {
        .init(.malformedReply, "malformed reply from \(serviceName): \(detail)")
    }

    public static func replyTooLarge(serviceName: String, limit: Int) -> RPCClientError {
        .init(.replyTooLarge, "reply from \(serviceName) exceeds \(limit) bytes")
    }

    /// RFC 5531 MSG_DENIED: version mismatch or refused credentials.
    public static func denied(serviceName: String, _ status: RPCRejectedStatus) -> RPCClientError {
        switch status {
        case .rpcMismatch(let low, let high):
            .init(.denied, "\(serviceName) speaks RPC versions \(low)...\(high) only")
        case .authError(let auth):
            .init(
                .denied,
                "\(serviceName) refused the request: \(auth); only root or the daemon's own user may manage it")
        }
    }

    /// RFC 5531 accepted but not SUCCESS.
    public static func notAccepted(
        serviceName: String, program: UInt32, version: UInt32, procedure: UInt32,
        _ status: RPCAcceptedStatus
    ) -> RPCClientError {
        let text: String
        switch status {
        case .success: text = "succeeded"
        case .programUnavailable: text = "does not serve program \(program)"
        case .programMismatch(let low, let high):
            text = "serves program \(program) versions \(low)...\(high), not \(version)"
        case .procedureUnavailable: text = "has no procedure \(procedure) in program \(program) version \(version)"
        case .garbageArguments: text = "could not decode the arguments of procedure \(procedure)"
        case .systemError: text = "failed internally running procedure \(procedure)"
        }
        return .init(.notAccepted, "\(serviceName) \(text)")
    }

    public static func notRegistered(serviceName: String, host: String, program: UInt32) -> RPCClientError {
        .init(
            .notRegistered,
            "cannot reach \(serviceName) at \(host): rpcbind there has no TCP port for program \(program) "
                + "(is it running with -R?)")
    }
}

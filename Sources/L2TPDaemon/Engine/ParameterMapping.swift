import L2TPConfig
import L2TPControl
import L2TPWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The mapping from the daemon's resolved settings (profiles applied) onto
/// the control layer's parameters. Kept in one place so tests pin it down.
public enum ParameterMapping {
    public static func tunnelParameters(_ s: TunnelSettings) -> TunnelParameters {
        var p = TunnelParameters()
        p.hostName = s.hostName.flatMap { $0.isEmpty ? nil : $0 } ?? systemHostName()
        p.secret = s.secret.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        switch s.authMode {
        case .none: p.authMode = .none
        case .simple: p.authMode = .simple
        case .challenge: p.authMode = .challenge
        }
        p.hideAVPs = s.hideAVPs
        p.framingCapabilities = framing(s.framingCaps)
        p.bearerCapabilities = bearer(s.bearerCaps)
        p.useTieBreaker = s.useTiebreaker
        p.receiveWindow = UInt16(clamping: s.rxWindowSize)
        p.retryTimeout = .seconds(UInt64(max(s.retryTimeout, 1)))
        p.maxRetries = s.maxRetries
        p.helloTimeout = s.helloTimeout > 0 ? .seconds(UInt64(s.helloTimeout)) : nil
        p.establishTimeout = .seconds(UInt64(max(s.establishTimeout, 1)))
        return p
    }

    public static func sessionParameters(_ s: SessionSettings) -> SessionParameters {
        var p = SessionParameters(callType: callType(s.sessionType ?? .laic))
        switch s.bearerType {
        case .none: p.bearerType = []
        case .digital: p.bearerType = .digital
        case .analog: p.bearerType = .analog
        }
        p.framingType = s.framingType == .sync ? .synchronous : .asynchronous
        p.txConnectSpeed = s.txConnectSpeed
        p.rxConnectSpeed = s.rxConnectSpeed
        p.minimumBPS = UInt32(clamping: s.minimumBPS)
        p.maximumBPS = s.maximumBPS == 0 ? 0xFFFF_FFFF : UInt32(clamping: s.maximumBPS)
        p.sequencingRequired = s.sequencingRequired
        p.privateGroupID = s.privateGroupID.map { Array($0.utf8) }
        p.establishTimeout = .seconds(UInt64(max(s.establishTimeout, 1)))
        return p
    }

    public static func callType(_ type: SessionType) -> CallType {
        switch type {
        case .laic: .lacIncoming
        case .laoc: .lacOutgoing
        case .lnic: .lnsIncoming
        case .lnoc: .lnsOutgoing
        }
    }

    static func framing(_ caps: L2TPConfig.FramingCapabilities) -> L2TPWire.FramingCapabilities {
        switch caps {
        case .sync: .synchronous
        case .async: .asynchronous
        case .any: [.synchronous, .asynchronous]
        }
    }

    static func bearer(_ caps: L2TPConfig.BearerCapabilities) -> L2TPWire.BearerCapabilities {
        switch caps {
        case .digital: .digital
        case .analog: .analog
        case .any: [.digital, .analog]
        }
    }

    /// The Host Name AVP when the profile sets none (openl2tp-interface.md).
    static func systemHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "openl2tp" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "openl2tp" : name
    }

    static func refusal(_ r: Refusal) -> ResultCode {
        ResultCode(result: r.resultCode, error: r.errorCode, message: Array(r.reason.utf8))
    }
}

extension IPv4SocketAddress {
    init?(_ peer: PeerAddress) {
        self.init(octets: peer.address, port: peer.port)
    }

    var peerAddress: PeerAddress { PeerAddress(address: octets, port: port) }
}

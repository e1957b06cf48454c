import COpenL2TPPlugin

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fields of one tunnel, session or socket as C accessors read them.
///
/// Built once per event and shared by every plugin called for it; strings are
/// copied into NUL-terminated buffers that live exactly as long as the event
/// (the snapshot leaves the handle registry when the last hook returns).
final class Snapshot: @unchecked Sendable {
    enum Kind: Sendable { case tunnel, session, socket }

    enum Lookup<Value> {
        case value(Value)
        /// The field id is known but has no value (yet): -ENODATA.
        case absent
        /// A field of the other accessor type: -EINVAL.
        case wrongType
        /// An id this host does not know (a newer plugin): -ENOENT.
        case unknown
    }

    let kind: Kind
    private let numbers: [UInt32: UInt32?]
    private let strings: [UInt32: (pointer: UnsafeMutablePointer<CChar>, length: UInt32)?]
    /// Configuration values by parameter name (sessions only, ABI 1.1).
    private let parameters: [String: (pointer: UnsafeMutablePointer<CChar>, length: UInt32)]

    init(
        kind: Kind, numbers: [UInt32: UInt32?], strings: [UInt32: [UInt8]?], parameters: [String: String] = [:]
    ) {
        self.kind = kind
        self.numbers = numbers
        self.strings = strings.mapValues { bytes in bytes.map(Snapshot.cString) }
        self.parameters = parameters.mapValues { Snapshot.cString(Array($0.utf8)) }
    }

    deinit {
        for case let entry? in strings.values { entry.pointer.deallocate() }
        for entry in parameters.values { entry.pointer.deallocate() }
    }

    private static func cString(_ bytes: [UInt8]) -> (pointer: UnsafeMutablePointer<CChar>, length: UInt32) {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { source in
            for (index, byte) in source.enumerated() { buffer[index] = CChar(bitPattern: byte) }
        }
        buffer[bytes.count] = 0
        return (buffer, UInt32(bytes.count))
    }

    func parameter(_ name: String) -> (pointer: UnsafePointer<CChar>, length: UInt32)? {
        parameters[name].map { (UnsafePointer($0.pointer), $0.length) }
    }

    func number(_ field: UInt32) -> Lookup<UInt32> {
        if let entry = numbers[field] { return entry.map(Lookup.value) ?? .absent }
        return strings[field] == nil ? .unknown : .wrongType
    }

    func string(_ field: UInt32) -> Lookup<(pointer: UnsafePointer<CChar>, length: UInt32)> {
        if let entry = strings[field] {
            guard let entry else { return .absent }
            return .value((UnsafePointer(entry.pointer), entry.length))
        }
        return numbers[field] == nil ? .unknown : .wrongType
    }
}

// MARK: - Building snapshots from the Swift values

private func utf8(_ string: String?) -> [UInt8]? { string.map { Array($0.utf8) } }

extension TunnelInfo {
    var snapshot: Snapshot {
        Snapshot(
            kind: .tunnel,
            numbers: [
                UInt32(OL2TP_TUNNEL_ID): UInt32(tunnelID),
                UInt32(OL2TP_TUNNEL_PEER_ID): UInt32(peerTunnelID),
                UInt32(OL2TP_TUNNEL_LOCAL_PORT): UInt32(localPort),
                UInt32(OL2TP_TUNNEL_PEER_PORT): UInt32(peerPort),
                UInt32(OL2TP_TUNNEL_CREATED_BY_PEER): createdByPeer ? 1 : 0,
            ],
            strings: [
                UInt32(OL2TP_TUNNEL_LOCAL_ADDRESS): utf8(localAddress),
                UInt32(OL2TP_TUNNEL_PEER_ADDRESS): utf8(peerAddress),
                UInt32(OL2TP_TUNNEL_PEER_HOST_NAME): utf8(peerHostName),
                UInt32(OL2TP_TUNNEL_NAME): utf8(tunnelName),
            ]
        )
    }
}

extension SessionInfo {
    /// `overrides` replace configuration values, e.g. the addresses an
    /// ip_allocate hook answered (they are what pppd must use). `tunnel` is
    /// the session's tunnel as last reported (ABI 1.2 fields; absent: ENODATA).
    func snapshot(overriding overrides: [String: String], tunnel: TunnelInfo?) -> Snapshot {
        Snapshot(
            kind: .session,
            numbers: [
                UInt32(OL2TP_SESSION_TUNNEL_ID): UInt32(tunnelID),
                UInt32(OL2TP_SESSION_ID): UInt32(sessionID),
                UInt32(OL2TP_SESSION_PEER_ID): UInt32(peerSessionID),
                UInt32(OL2TP_SESSION_CALL_TYPE): callType.rawValue,
                UInt32(OL2TP_SESSION_CALL_SERIAL): callSerialNumber,
                UInt32(OL2TP_SESSION_PROXY_AUTH_TYPE): proxyAuthentication.map { UInt32($0.type) },
                UInt32(OL2TP_SESSION_PROXY_AUTH_ID): proxyAuthentication?.id.map { UInt32($0) },
                UInt32(OL2TP_SESSION_PPP_UNIT): pppUnit,
                UInt32(OL2TP_SESSION_TUNNEL_LOCAL_PORT): tunnel.map { UInt32($0.localPort) },
                UInt32(OL2TP_SESSION_TUNNEL_PEER_PORT): tunnel.map { UInt32($0.peerPort) },
                UInt32(OL2TP_SESSION_TUNNEL_PEER_ID): tunnel.map { UInt32($0.peerTunnelID) },
            ],
            strings: [
                UInt32(OL2TP_SESSION_CALLING_NUMBER): utf8(callingNumber),
                UInt32(OL2TP_SESSION_CALLED_NUMBER): utf8(calledNumber),
                UInt32(OL2TP_SESSION_SUB_ADDRESS): utf8(subAddress),
                UInt32(OL2TP_SESSION_USER_NAME): utf8(userName),
                UInt32(OL2TP_SESSION_PROXY_AUTH_NAME): utf8(proxyAuthentication?.name),
                UInt32(OL2TP_SESSION_PROXY_AUTH_CHALLENGE): proxyAuthentication?.challenge,
                UInt32(OL2TP_SESSION_PROXY_AUTH_RESPONSE): proxyAuthentication?.response,
                UInt32(OL2TP_SESSION_INTERFACE_NAME): utf8(interfaceName),
                UInt32(OL2TP_SESSION_TUNNEL_LOCAL_ADDRESS): utf8(tunnel?.localAddress),
                UInt32(OL2TP_SESSION_TUNNEL_PEER_ADDRESS): utf8(tunnel?.peerAddress),
                UInt32(OL2TP_SESSION_TUNNEL_PEER_HOST_NAME): utf8(tunnel?.peerHostName),
                UInt32(OL2TP_SESSION_TUNNEL_NAME): utf8(tunnel?.tunnelName),
            ],
            parameters: parameters.merging(overrides) { _, override in override }
        )
    }
}

extension SocketInfo {
    var snapshot: Snapshot {
        Snapshot(
            kind: .socket,
            numbers: [
                UInt32(OL2TP_SOCKET_TUNNEL_ID): UInt32(tunnelID),
                UInt32(OL2TP_SOCKET_LOCAL_PORT): UInt32(localPort),
                UInt32(OL2TP_SOCKET_PEER_PORT): UInt32(peerPort),
            ],
            strings: [
                UInt32(OL2TP_SOCKET_LOCAL_ADDRESS): utf8(localAddress),
                UInt32(OL2TP_SOCKET_PEER_ADDRESS): utf8(peerAddress),
            ]
        )
    }
}

/// RFC 5531 8.2: authentication flavors. A struct so unknown values survive decoding.
public struct RPCAuthFlavor: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let none = RPCAuthFlavor(rawValue: 0)
    /// AUTH_SYS, formerly AUTH_UNIX (RFC 5531 A.2).
    public static let sys = RPCAuthFlavor(rawValue: 1)
    public static let short = RPCAuthFlavor(rawValue: 2)
    public static let dh = RPCAuthFlavor(rawValue: 3)
    public static let rpcsecGSS = RPCAuthFlavor(rawValue: 6)

    public var description: String {
        switch self {
        case .none: "AUTH_NONE"
        case .sys: "AUTH_SYS"
        case .short: "AUTH_SHORT"
        case .dh: "AUTH_DH"
        case .rpcsecGSS: "RPCSEC_GSS"
        default: "auth flavor \(rawValue)"
        }
    }
}

/// RFC 5531 8.2: `opaque_auth`, a flavor and at most 400 bytes of body.
public struct RPCOpaqueAuth: XDRCodable, Hashable, Sendable {
    public static let maxBodyLength = 400

    public var flavor: RPCAuthFlavor
    public var body: [UInt8]

    public init(flavor: RPCAuthFlavor, body: [UInt8] = []) {
        self.flavor = flavor
        self.body = body
    }

    /// AUTH_NONE with an empty body: what servers use as reply verifier.
    public static let none = RPCOpaqueAuth(flavor: .none)

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(flavor.rawValue)
        encoder.encodeVariableOpaque(body)
    }

    public init(from decoder: inout XDRDecoder) throws {
        flavor = RPCAuthFlavor(rawValue: try decoder.decodeUInt32(field: "opaque_auth.flavor"))
        body = try decoder.decodeVariableOpaque(maxLength: Self.maxBodyLength, field: "opaque_auth.body")
    }
}

/// RFC 5531 A.2: the AUTH_SYS credential body (`authsys_parms`). Informational
/// only: the caller chooses these values, so the server never trusts them for
/// authorization (it uses the kernel's SO_PEERCRED instead).
public struct RPCAuthSysParameters: XDRCodable, Hashable, Sendable {
    public var stamp: UInt32
    public var machineName: String
    public var uid: UInt32
    public var gid: UInt32
    public var gids: [UInt32]

    public init(stamp: UInt32, machineName: String, uid: UInt32, gid: UInt32, gids: [UInt32] = []) {
        self.stamp = stamp
        self.machineName = machineName
        self.uid = uid
        self.gid = gid
        self.gids = gids
    }

    public func encode(to encoder: inout XDREncoder) {
        encoder.encode(stamp)
        encoder.encode(machineName)
        encoder.encode(uid)
        encoder.encode(gid)
        encoder.encode(array: gids)
    }

    public init(from decoder: inout XDRDecoder) throws {
        stamp = try decoder.decodeUInt32(field: "authsys_parms.stamp")
        machineName = try decoder.decodeString(maxLength: 255, field: "authsys_parms.machinename")
        uid = try decoder.decodeUInt32(field: "authsys_parms.uid")
        gid = try decoder.decodeUInt32(field: "authsys_parms.gid")
        gids = try decoder.decodeArray(maxCount: 16, field: "authsys_parms.gids")
    }
}

import ONCRPC

/// The management interface of openl2tpd: ONC RPC program 300773 version 1.
///
/// `docs/l2tp_rpc.x` is the normative definition; this file and the types next
/// to it implement exactly that file (a test compares the numbers).
public enum L2TPManagementProtocol {
    /// RFC 5531 program number of openl2tpd (kept from OpenL2TP 1.8).
    public static let program: UInt32 = 300773
    public static let version: UInt32 = 1
    /// ippoold's program, served by the same machinery.
    public static let ippoolProgram: UInt32 = 300775

    // MARK: - XDR bounds from l2tp_rpc.x

    public static let maxNameLength = 64
    public static let maxParameterValueLength = 4096
    public static let maxParameters = 256
    public static let maxMessageLength = 4096
}

/// Procedure numbers of program 300773 version 1 (`docs/l2tp_rpc.x`).
/// Every procedure but NULL takes an `l2tp_request` and returns an `l2tp_reply`.
public enum ManagementProcedure: UInt32, CaseIterable, Sendable {
    case null = 0
    case appInfoGet = 1
    case systemGet = 2
    case systemModify = 3

    case tunnelCreate = 10
    case tunnelDelete = 11
    case tunnelModify = 12
    case tunnelGet = 13
    case tunnelList = 14
    case tunnelUnset = 15

    case sessionCreate = 20
    case sessionDelete = 21
    case sessionModify = 22
    case sessionGet = 23
    case sessionList = 24
    case sessionUnset = 25

    case tunnelProfileCreate = 30
    case tunnelProfileDelete = 31
    case tunnelProfileModify = 32
    case tunnelProfileGet = 33
    case tunnelProfileList = 34
    case tunnelProfileUnset = 35

    case sessionProfileCreate = 40
    case sessionProfileDelete = 41
    case sessionProfileModify = 42
    case sessionProfileGet = 43
    case sessionProfileList = 44
    case sessionProfileUnset = 45

    case pppProfileCreate = 50
    case pppProfileDelete = 51
    case pppProfileModify = 52
    case pppProfileGet = 53
    case pppProfileList = 54
    case pppProfileUnset = 55

    case peerProfileCreate = 60
    case peerProfileDelete = 61
    case peerProfileModify = 62
    case peerProfileGet = 63
    case peerProfileList = 64
    case peerProfileUnset = 65

    case peerGet = 70
    case peerList = 71

    case userList = 80

    case statisticsGet = 90

    case debugGet = 100
    case debugModify = 101

    case configSave = 110

    /// The procedure's name in `l2tp_rpc.x`, e.g. `L2TP_TUNNEL_CREATE`.
    public var xdrName: String {
        var name = "L2TP_"
        for character in String(describing: self) {
            if character.isUppercase { name.append("_") }
            name.append(contentsOf: character.uppercased())
        }
        return name
    }
}

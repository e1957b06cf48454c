/// One indication from pppd, decoded.
public enum PPPEvent: Hashable, Sendable {
    /// Message type 0: carries nothing (a keepalive; ignore it).
    case null
    /// PPP came up or went down on a session's PPP interface.
    case upDown(PPPLinkState)
    /// The ACCM pppd negotiated; on a LAC the daemon forwards it to the LNS in
    /// a Set-Link-Info message (RFC 2661 section 6.15, ACCM AVP 4.4.6).
    case accm(PPPACCMIndication)

    /// The session the event is about (nil for `.null`).
    public var tunnelID: UInt16? {
        switch self {
        case .null: nil
        case .upDown(let state): state.tunnelID
        case .accm(let accm): accm.tunnelID
        }
    }

    public var sessionID: UInt16? {
        switch self {
        case .null: nil
        case .upDown(let state): state.sessionID
        case .accm(let accm): accm.sessionID
        }
    }
}

/// A PPP up/down indication (message type 1).
public struct PPPLinkState: Hashable, Sendable {
    public var tunnelID: UInt16
    public var sessionID: UInt16
    public var isUp: Bool
    /// pppd's unit number: the N of pppN.
    public var unit: UInt32
    public var interfaceName: String
    /// The name the peer authenticated with, if it did.
    public var userName: String?

    public init(
        tunnelID: UInt16, sessionID: UInt16, isUp: Bool, unit: UInt32, interfaceName: String, userName: String? = nil
    ) {
        self.tunnelID = tunnelID
        self.sessionID = sessionID
        self.isUp = isUp
        self.unit = unit
        self.interfaceName = interfaceName
        self.userName = userName
    }
}

/// A PPP ACCM indication (message type 2).
public struct PPPACCMIndication: Hashable, Sendable {
    public var tunnelID: UInt16
    public var sessionID: UInt16
    public var sendACCM: UInt32
    public var receiveACCM: UInt32

    public init(tunnelID: UInt16, sessionID: UInt16, sendACCM: UInt32, receiveACCM: UInt32) {
        self.tunnelID = tunnelID
        self.sessionID = sessionID
        self.sendACCM = sendACCM
        self.receiveACCM = receiveACCM
    }
}

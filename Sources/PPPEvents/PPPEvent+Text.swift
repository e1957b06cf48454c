/// One line per event, `key=value` words: for logs and for the test tools
/// that watch pppd in the kernel VM (`pppeventdump`).
extension PPPEvent: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "null"
        case .upDown(let state):
            let user = state.userName.map { " user=\($0)" } ?? ""
            return "\(state.isUp ? "up" : "down") tunnel=\(state.tunnelID) session=\(state.sessionID) "
                + "unit=\(state.unit) ifname=\(state.interfaceName)\(user)"
        case .accm(let accm):
            return "accm tunnel=\(accm.tunnelID) session=\(accm.sessionID) "
                + "send=0x\(hex(accm.sendACCM)) receive=0x\(hex(accm.receiveACCM))"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

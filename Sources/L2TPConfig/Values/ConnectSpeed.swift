/// `connect_speed=speed[:txspeed]` in bits per second. RFC 2661 4.4.5 has a
/// (Tx) Connect Speed AVP and an optional Rx Connect Speed AVP; when only one
/// number is given it applies to both directions.
public struct ConnectSpeed: Hashable, Sendable, CustomStringConvertible {
    public var speed: UInt32
    public var txSpeed: UInt32?

    public init(speed: UInt32, txSpeed: UInt32? = nil) {
        self.speed = speed
        self.txSpeed = txSpeed
    }

    public static func parse(_ text: String) -> Result<ConnectSpeed, ValueError> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return .failure(ValueError("'\(VisibleText.escaped(text))' is not speed[:txspeed]"))
        }
        var numbers: [UInt32] = []
        for part in parts {
            guard let n = IntegerSyntax.parse(part), n >= 0, n <= Int(UInt32.max) else {
                return .failure(
                    ValueError(
                        "'\(VisibleText.escaped(text))' is not speed[:txspeed] (bits per second, 0..\(UInt32.max))"))
            }
            numbers.append(UInt32(n))
        }
        return .success(ConnectSpeed(speed: numbers[0], txSpeed: numbers.count == 2 ? numbers[1] : nil))
    }

    public var description: String {
        txSpeed.map { "\(speed):\($0)" } ?? "\(speed)"
    }
}

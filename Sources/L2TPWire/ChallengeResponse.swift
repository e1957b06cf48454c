/// Tunnel authentication (RFC 2661 5.1.1, 4.4.3 Challenge Response).
///
/// The response is `MD5(ID + secret + challenge)` where ID is the one-octet
/// message type of the message carrying the response: 2 in an SCCRP
/// (answering the LAC's challenge), 3 in an SCCCN (answering the LNS's).
public enum ChallengeResponse {
    /// Computes the 16-octet response for `messageType` (.sccrp or .scccn).
    public static func compute(for messageType: MessageType, secret: [UInt8], challenge: [UInt8]) -> [UInt8] {
        var md5 = MD5()
        md5.update(UInt8(truncatingIfNeeded: messageType.rawValue))
        md5.update(secret)
        md5.update(challenge)
        return md5.finalize()
    }

    /// Checks a received response in constant time with respect to its content.
    public static func verify(
        _ response: [UInt8], for messageType: MessageType, secret: [UInt8], challenge: [UInt8]
    ) -> Bool {
        let expected = compute(for: messageType, secret: secret, challenge: challenge)
        guard response.count == expected.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<expected.count { difference |= response[i] ^ expected[i] }
        return difference == 0
    }
}

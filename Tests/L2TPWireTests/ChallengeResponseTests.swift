import Testing

@testable import L2TPWire

@Suite struct ChallengeResponseTests {
    /// Expected values: Python `hashlib.md5(bytes([id]) + secret + challenge)` (RFC 2661 5.1.1).
    @Test func sccrpAndScccnVectors() {
        let secret = Array("secret".utf8)
        #expect(
            hexString(ChallengeResponse.compute(for: .sccrp, secret: secret, challenge: Array(0..<16)))
                == "dd4186e2196f00124a9d588f02701259")
        #expect(
            hexString(
                ChallengeResponse.compute(for: .scccn, secret: secret, challenge: Array(repeating: 0xAA, count: 8)))
                == "883b953eb5f1acf9a512a45d5be22848")
    }

    @Test func verifyAcceptsOnlyTheRightResponse() {
        let secret = Array("s3".utf8)
        let challenge: [UInt8] = [9, 8, 7]
        let good = ChallengeResponse.compute(for: .sccrp, secret: secret, challenge: challenge)
        #expect(ChallengeResponse.verify(good, for: .sccrp, secret: secret, challenge: challenge))
        #expect(!ChallengeResponse.verify(good, for: .scccn, secret: secret, challenge: challenge))
        #expect(!ChallengeResponse.verify(Array(good.dropLast()), for: .sccrp, secret: secret, challenge: challenge))
        var bad = good
        bad[15] ^= 1
        #expect(!ChallengeResponse.verify(bad, for: .sccrp, secret: secret, challenge: challenge))
    }
}

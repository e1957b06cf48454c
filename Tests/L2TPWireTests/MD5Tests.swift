import Testing

@testable import L2TPWire

@Suite struct MD5Tests {
    /// The test suite of RFC 1321 appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a"
        ),
    ])
    func rfc1321Vectors(input: String, digest: String) {
        #expect(hexString(MD5.hash(Array(input.utf8))) == digest)
    }

    @Test func incrementalUpdatesMatchOneShot() {
        var rng = SplitMix64(seed: 1)
        for length in [55, 56, 63, 64, 65, 127, 128, 1000] {
            let data = rng.bytes(length)
            var md5 = MD5()
            md5.update(data[..<(length / 3)])
            md5.update(data[(length / 3)...])
            #expect(md5.finalize() == MD5.hash(data), "length \(length)")
        }
    }
}

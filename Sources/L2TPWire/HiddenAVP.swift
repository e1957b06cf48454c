/// Hiding and unhiding of AVP values (RFC 2661 4.3).
///
/// The hidden subformat is the 2-octet original length, the original value,
/// then optional padding. It is XORed with a keystream:
/// `b1 = MD5(attribute type (2 octets) + secret + random vector)`,
/// `b(i) = MD5(secret + c(i-1))`, where `c(i)` is the previous 16-octet
/// ciphertext block. The last block may be short.
public enum HiddenAVP {
    /// Hides `value` for attribute `attributeType`. `padding` octets are
    /// appended to the subformat to mask the value's length.
    public static func hide(
        _ value: [UInt8], attributeType: UInt16, secret: [UInt8], randomVector: [UInt8], padding: [UInt8] = []
    ) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(2 + value.count + padding.count)
        data.append(UInt8(truncatingIfNeeded: value.count >> 8))
        data.append(UInt8(truncatingIfNeeded: value.count))
        data.append(contentsOf: value)
        data.append(contentsOf: padding)
        var key = firstKey(attributeType: attributeType, secret: secret, randomVector: randomVector)
        var blockStart = 0
        while blockStart < data.count {
            let blockEnd = min(blockStart + 16, data.count)
            for i in blockStart..<blockEnd { data[i] ^= key[i - blockStart] }
            if blockEnd < data.count {
                key = nextKey(secret: secret, cipherBlock: data[blockStart..<blockEnd])
            }
            blockStart = blockEnd
        }
        return data
    }

    /// Recovers the original value from a hidden AVP's value field.
    /// Returns nil if the subformat's original-length prefix is missing or
    /// larger than the data (a wrong secret usually shows up this way).
    public static func unhide(
        _ hidden: some Collection<UInt8>, attributeType: UInt16, secret: [UInt8], randomVector: [UInt8]
    ) -> [UInt8]? {
        let cipher = Array(hidden)
        guard cipher.count >= 2 else { return nil }
        var plain = cipher
        var key = firstKey(attributeType: attributeType, secret: secret, randomVector: randomVector)
        var blockStart = 0
        while blockStart < cipher.count {
            let blockEnd = min(blockStart + 16, cipher.count)
            for i in blockStart..<blockEnd { plain[i] ^= key[i - blockStart] }
            if blockEnd < cipher.count {
                key = nextKey(secret: secret, cipherBlock: cipher[blockStart..<blockEnd])
            }
            blockStart = blockEnd
        }
        let originalLength = Int(plain[0]) << 8 | Int(plain[1])
        guard originalLength <= plain.count - 2 else { return nil }
        return Array(plain[2..<(2 + originalLength)])
    }

    private static func firstKey(attributeType: UInt16, secret: [UInt8], randomVector: [UInt8]) -> MD5.Digest {
        var md5 = MD5()
        md5.update(UInt8(truncatingIfNeeded: attributeType >> 8))
        md5.update(UInt8(truncatingIfNeeded: attributeType))
        md5.update(secret)
        md5.update(randomVector)
        return md5.finalize()
    }

    private static func nextKey(secret: [UInt8], cipherBlock: ArraySlice<UInt8>) -> MD5.Digest {
        var md5 = MD5()
        md5.update(secret)
        md5.update(cipherBlock)
        return md5.finalize()
    }
}

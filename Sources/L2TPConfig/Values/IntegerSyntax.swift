/// Integer syntax shared by all numeric parameters: decimal, or hex with `0x`.
enum IntegerSyntax {
    static func parse<S: StringProtocol>(_ text: S) -> Int? {
        let lower = text.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            guard !digits.isEmpty, digits.count <= 16 else { return nil }
            return Int(digits, radix: 16)
        }
        guard !lower.isEmpty, lower.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }) else {
            return nil
        }
        return Int(lower)
    }
}

/// The facts about a decimal number that DynamoDB cares about: how many significant digits it has (which
/// sets its size and its 38-digit precision limit) and its order of magnitude (DynamoDB holds 1E-130 up to
/// 9.99…E+125, positive or negative, and zero).
public struct DynamoDBNumber: Sendable {
    static let maximumSignificantDigits = 38
    static let exponentRange = -130...125

    /// Digits from the first to the last non-zero digit; 0 for zero.
    public let significantDigitCount: Int
    /// `e` when the number is written `d.ddd × 10^e`; 0 for zero.
    public let exponent: Int

    /// Reads a JSON-syntax number (`-12.30`, `1e-5`); nil for anything else.
    public init?(_ text: String) {
        // Over contiguous bytes: stepping a String's UTF-8 view byte by byte costs more than the counting.
        var text = text
        guard let number = text.withUTF8({ Self(utf8: $0.makeIterator()) }) else { return nil }
        self = number
    }

    private init?(utf8: UnsafeBufferPointer<UInt8>.Iterator) {
        var bytes = utf8
        var next = bytes.next()
        if next == UInt8(ascii: "-") { next = bytes.next() }

        // Digits are indexed left to right across the integer and fraction parts.
        var digitsSeen = 0
        var integerDigitCount = 0
        var firstSignificant: Int?
        var lastSignificant = 0
        var inFraction = false
        while let byte = next {
            if Self.isDigit(byte) {
                if byte != UInt8(ascii: "0") {
                    if firstSignificant == nil { firstSignificant = digitsSeen }
                    lastSignificant = digitsSeen
                }
                digitsSeen += 1
                if !inFraction { integerDigitCount += 1 }
            } else if byte == UInt8(ascii: "."), !inFraction, digitsSeen > 0 {
                inFraction = true
            } else {
                break
            }
            next = bytes.next()
        }
        guard digitsSeen > 0, !(inFraction && digitsSeen == integerDigitCount) else { return nil }

        var writtenExponent = 0
        if let marker = next, marker | 0x20 == UInt8(ascii: "e") {
            next = bytes.next()
            var isNegative = false
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") {
                isNegative = next == UInt8(ascii: "-")
                next = bytes.next()
            }
            var exponentDigits = 0
            while let byte = next, Self.isDigit(byte) {
                // Saturate: any exponent this large is out of DynamoDB's range anyway.
                writtenExponent = min(writtenExponent * 10 + Int(byte - UInt8(ascii: "0")), 1_000_000)
                exponentDigits += 1
                next = bytes.next()
            }
            guard exponentDigits > 0 else { return nil }
            if isNegative { writtenExponent = -writtenExponent }
        }
        guard next == nil else { return nil }

        guard let firstSignificant else {
            self.significantDigitCount = 0
            self.exponent = 0
            return
        }
        self.significantDigitCount = lastSignificant - firstSignificant + 1
        self.exponent = integerDigitCount - 1 - firstSignificant + writtenExponent
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Whether DynamoDB can store this number exactly as an N.
    public var fitsDynamoDB: Bool {
        significantDigitCount == 0
            || (significantDigitCount <= Self.maximumSignificantDigits && Self.exponentRange.contains(exponent))
    }
}

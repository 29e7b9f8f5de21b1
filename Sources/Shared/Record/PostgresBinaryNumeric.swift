/// `numeric` in its binary form (`numeric_send`: digit count, weight, sign, display scale, then base-10000
/// digits, all 16-bit big-endian) written as `numeric_out` prints it (`get_str_from_var`): every digit of the
/// integer part and exactly `dscale` fraction digits. NaN and ±Infinity become strings, as in text.
enum PostgresBinaryNumeric {
    private static let positive: UInt16 = 0x0000
    private static let negative: UInt16 = 0x4000

    /// The string of a sign word that stands for a value without digits.
    private static func special(_ sign: UInt16) -> StaticString? {
        switch sign {
        case 0xC000: #""NaN""#
        case 0xD000: #""Infinity""#
        case 0xF000: #""-Infinity""#
        default: nil
        }
    }

    static func writeJSON(_ value: UnsafeRawBufferPointer, to sink: inout ByteSink) throws(InvalidPostgresText) {
        guard value.count >= 8 else { throw InvalidPostgresText(reason: "a binary numeric has an 8-byte header") }
        let digitCount = Int(Int16(bitPattern: value.bigEndianUInt16(at: 0)))
        let weight = Int(Int16(bitPattern: value.bigEndianUInt16(at: 2)))
        let sign = value.bigEndianUInt16(at: 4)
        let scale = Int(Int16(bitPattern: value.bigEndianUInt16(at: 6)))
        if let special = special(sign) { return sink.append(special) }
        guard sign == positive || sign == negative else {
            throw InvalidPostgresText(reason: "unknown numeric sign 0x\(String(sign, radix: 16))")
        }
        guard digitCount >= 0, scale >= 0, value.count == 8 + 2 * digitCount else {
            throw InvalidPostgresText(reason: "\(digitCount) digits and scale \(scale) in \(value.count) bytes")
        }
        func digit(_ position: Int) throws(InvalidPostgresText) -> Int {
            guard position >= 0, position < digitCount else { return 0 }
            let digit = Int(value.bigEndianUInt16(at: 8 + 2 * position))
            guard digit < 10_000 else { throw InvalidPostgresText(reason: "numeric digit \(digit) is not below 10000") }
            return digit
        }

        if sign == negative { sink.append(UInt8(ascii: "-")) }
        var position = 0
        if weight < 0 {
            position = weight + 1
            sink.append(UInt8(ascii: "0"))
        } else {
            while position <= weight {
                // The first base-10000 digit without its leading zeros, the others with all four decimal digits.
                appendDecimalDigits(of: try digit(position), count: 4, skippingLeadingZeros: position == 0, to: &sink)
                position += 1
            }
        }
        guard scale > 0 else { return }
        sink.append(UInt8(ascii: "."))
        var remaining = scale
        while remaining > 0 {
            let digits = try digit(position)
            appendDecimalDigits(of: digits, count: min(4, remaining), skippingLeadingZeros: false, to: &sink)
            remaining -= 4
            position += 1
        }
    }

    /// The first `count` of the four decimal digits of `digit` (0...9999); without leading zeros (but at least
    /// one digit) if `skippingLeadingZeros`.
    private static func appendDecimalDigits(
        of digit: Int, count: Int, skippingLeadingZeros: Bool, to sink: inout ByteSink
    ) {
        var divisor = 1000
        var started = !skippingLeadingZeros
        for _ in 0..<count {
            let decimal = digit / divisor % 10
            if started || decimal > 0 || divisor == 1 {
                sink.append(UInt8(ascii: "0") + UInt8(decimal))
                started = true
            }
            divisor /= 10
        }
    }
}

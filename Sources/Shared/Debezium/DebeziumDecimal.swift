/// Kafka Connect's `Decimal` (Debezium's `decimal.handling.mode=precise`): the unscaled value as big-endian two's
/// complement bytes and a scale, written as the decimal digits PostgreSQL prints for `numeric` — `150000` with
/// scale 5 is `1.50000`, as `numeric(20,5)` prints 1.5.
enum DebeziumDecimal {
    /// The decimal text of `unscaled × 10^-scale`; nil for an empty byte string or a negative scale
    /// (PostgreSQL's `numeric` has none).
    static func text(unscaled bytes: [UInt8], scale: Int) -> String? {
        guard let first = bytes.first, scale >= 0 else { return nil }
        let isNegative = first & 0x80 != 0
        // The magnitude: the bytes as they are, or their two's complement negated (invert, add one).
        var magnitude = isNegative ? bytes.map { ~$0 } : bytes
        if isNegative {
            for index in magnitude.indices.reversed() {
                magnitude[index] &+= 1
                if magnitude[index] != 0 { break }
            }
        }
        var digits = decimalDigits(ofBigEndian: magnitude)
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        var text = isNegative && digits.contains(where: { $0 != "0" }) ? "-" : ""
        if scale == 0 {
            text += digits
        } else {
            text += digits.dropLast(scale) + "." + digits.suffix(scale)
        }
        return text
    }

    /// The unsigned big-endian integer's decimal digits, without leading zeros ("0" for zero): repeated division
    /// of the byte string by 10.
    private static func decimalDigits(ofBigEndian bytes: [UInt8]) -> String {
        var number = Array(bytes.drop { $0 == 0 })
        var reversedDigits: [UInt8] = []
        while !number.isEmpty {
            var remainder = 0
            for index in number.indices {
                let current = remainder << 8 | Int(number[index])
                number[index] = UInt8(current / 10)
                remainder = current % 10
            }
            reversedDigits.append(UInt8(ascii: "0") + UInt8(remainder))
            number = Array(number.drop { $0 == 0 })
        }
        return reversedDigits.isEmpty ? "0" : String(decoding: reversedDigits.reversed(), as: UTF8.self)
    }
}

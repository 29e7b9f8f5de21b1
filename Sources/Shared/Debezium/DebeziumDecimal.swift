/// Kafka Connect's `Decimal` (Debezium's `decimal.handling.mode=precise`): the unscaled value as big-endian two's
/// complement bytes and a scale, written as the decimal digits PostgreSQL prints for `numeric` — `150000` with
/// scale 5 is `1.50000`, as `numeric(20,5)` prints 1.5 — and back (`unscaledBytes`), for the encoder.
enum DebeziumDecimal {
    /// The unscaled value of decimal text (`-12.5`) at `scale` (`-1250` at 2) as Java's `BigInteger.toByteArray`
    /// writes it: big-endian two's complement, the fewest bytes that hold the sign. Nil for text that is not a plain
    /// decimal number or has non-zero digits beyond `scale`.
    static func unscaledBytes(of text: String, scale: Int) -> [UInt8]? {
        var utf8 = Substring(text).utf8[...]
        let isNegative = utf8.first == UInt8(ascii: "-")
        if isNegative { utf8 = utf8.dropFirst() }
        let parts = utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, scale >= 0 else { return nil }
        var fraction: [UInt8] = parts.count > 1 ? Array(parts[1]) : []
        if fraction.count > scale {
            guard fraction[scale...].allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
            fraction.removeLast(fraction.count - scale)
        }
        fraction += Array(repeating: UInt8(ascii: "0"), count: scale - fraction.count)
        // The magnitude in base 256, little-endian while it is built digit by digit.
        var magnitude: [UInt8] = []
        for digit in Array(whole) + fraction {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            var carry = Int(digit - UInt8(ascii: "0"))
            for index in magnitude.indices {
                let product = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(product & 0xFF)
                carry = product >> 8
            }
            if carry > 0 { magnitude.append(UInt8(carry)) }
        }
        let isZero = magnitude.allSatisfy { $0 == 0 }
        // Negative: -m is the bitwise complement of m - 1.
        if isNegative, !isZero {
            for index in magnitude.indices {
                if magnitude[index] > 0 {
                    magnitude[index] -= 1
                    break
                }
                magnitude[index] = 0xFF
            }
        }
        while magnitude.last == 0 { magnitude.removeLast() }
        // One more byte when the top bit is taken: it is the sign's.
        if let top = magnitude.last, top & 0x80 != 0 { magnitude.append(0) }
        if magnitude.isEmpty { magnitude = [0] }
        let bigEndian = Array(magnitude.reversed())
        return isNegative && !isZero ? bigEndian.map { ~$0 } : bigEndian
    }

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

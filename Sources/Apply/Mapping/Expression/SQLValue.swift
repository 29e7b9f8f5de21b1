import Foundation

/// A value of DMS's SQLite expression language: SQLite's storage classes without BLOB (rows carry none).
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        }
    }

    /// The value as SQLite renders it as text: reals as `%!.15g` (always with a `.`), NaN is NULL.
    var text: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): Self.render(value)
        case .text(let text): text
        }
    }

    static func render(_ value: Double) -> String {
        SQLPrintf.render(value)
    }

    /// A real as SQLite produces it from arithmetic: NaN (e.g. Inf-Inf) is NULL.
    static func real(checking value: Double) -> SQLValue {
        value.isNaN ? .null : .real(value)
    }

    /// The value as a number, the way SQLite's arithmetic reads text: the longest numeric prefix, 0 without one.
    var numeric: SQLValue {
        switch self {
        case .null, .integer, .real: self
        case .text(let text): Self.numericPrefix(of: text).value
        }
    }

    /// The value as a 64-bit integer, as sqlite3VdbeIntValue reads it: reals truncate toward zero and
    /// saturate, text gives its integer prefix (`'1e3'` is 1), NULL 0.
    var integerValue: Int64 {
        switch self {
        case .integer(let value): value
        case .real(let value): Self.saturatingInteger(value)
        case .text(let text): Self.integerPrefix(of: text)
        case .null: 0
        }
    }

    /// The longest integer prefix after leading spaces (saturating), 0 without one.
    static func integerPrefix(of text: String) -> Int64 {
        let scalars = text.unicodeScalars.drop { $0 == " " || ("\t"..."\r").contains($0) }
        var negative = false
        var digits = scalars[...]
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var value: Int64 = 0
        for scalar in digits {
            guard let digit = Int64(exactly: scalar.value), (48...57).contains(digit) else { break }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit - 48)
            if overflow1 || overflow2 { return negative ? .min : .max }
            value = next
        }
        if negative { return value }
        return value == .min ? .max : -value
    }

    var doubleValue: Double {
        switch numeric {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .null, .text: 0
        }
    }

    /// SQL truthiness: nil for NULL, otherwise whether the numeric value is non-zero.
    var truth: Bool? {
        switch numeric {
        case .null: nil
        case .integer(let value): value != 0
        case .real(let value): value != 0
        case .text: false
        }
    }

    static func boolean(_ flag: Bool?) -> SQLValue {
        flag.map { .integer($0 ? 1 : 0) } ?? .null
    }

    static func saturatingInteger(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9223372036854775807.0 { return .max }
        if value <= -9223372036854775808.0 { return .min }
        return Int64(value)
    }

    /// The numeric prefix of `text` after leading spaces: its value, and whether it was the whole text
    /// (trailing spaces allowed) and written as an integer.
    static func numericPrefix(of text: String) -> (value: SQLValue, isWhole: Bool, isReal: Bool) {
        let bytes = Array(text.utf8)
        var index = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func isDigit(_ at: Int) -> Bool { at < bytes.count && (0x30...0x39).contains(bytes[at]) }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while isDigit(index) { index += 1; digits += 1 }
        var isReal = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            var fraction = index + 1
            var fractionDigits = 0
            while isDigit(fraction) { fraction += 1; fractionDigits += 1 }
            if digits + fractionDigits > 0 {
                index = fraction
                digits += fractionDigits
                isReal = true
            }
        }
        guard digits > 0 else { return (.integer(0), false, false) }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var exponent = index + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if isDigit(exponent) {
                while isDigit(exponent) { exponent += 1 }
                index = exponent
                isReal = true
            }
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        var end = index
        while end < bytes.count, isSpace(bytes[end]) { end += 1 }
        let isWhole = end == bytes.count
        if !isReal, let integer = Int64(literal) { return (.integer(integer), isWhole, false) }
        return (.real(Double(literal) ?? 0), isWhole, true)
    }

    /// NUMERIC affinity: text that reads wholly as a number becomes that number (a real that is an exact
    /// integer becomes an integer); other values are unchanged.
    var withNumericAffinity: SQLValue {
        guard case .text(let text) = self else { return self }
        let prefix = Self.numericPrefix(of: text)
        guard prefix.isWhole else { return self }
        return Self.integral(prefix.value)
    }

    /// A real that holds an integer exactly (within 2^51, as SQLite requires) as that integer.
    static func integral(_ value: SQLValue) -> SQLValue {
        if case .real(let real) = value, real == real.rounded(.towardZero), abs(real) < 2_251_799_813_685_248 {
            return .integer(Int64(real))
        }
        return value
    }
}

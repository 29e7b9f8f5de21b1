import Foundation

/// The SQLite core functions DMS documents for transformation expressions.
enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    case lower, upper, substr, substring, trim, ltrim, rtrim, replace, length, round, abs, coalesce, ifnull
    case nullif, instr, hex, typeof, min, max, printf, format
    case date, time, datetime, julianday, strftime
    case currentTimestamp = "current_timestamp", currentDate = "current_date", currentTime = "current_time"

    /// The argument-less keywords CURRENT_TIMESTAMP, CURRENT_DATE and CURRENT_TIME.
    init?(keyword: String) {
        switch keyword {
        case "CURRENT_TIMESTAMP": self = .currentTimestamp
        case "CURRENT_DATE": self = .currentDate
        case "CURRENT_TIME": self = .currentTime
        default: return nil
        }
    }

    var arity: ClosedRange<Int> {
        switch self {
        case .lower, .upper, .length, .abs, .hex, .typeof: 1...1
        case .substr, .substring: 2...3
        case .trim, .ltrim, .rtrim, .round: 1...2
        case .replace: 3...3
        case .coalesce, .min, .max: 2...Int.max
        case .ifnull, .nullif, .instr: 2...2
        case .date, .time, .datetime, .julianday, .printf, .format: 0...Int.max
        case .strftime: 1...Int.max
        case .currentTimestamp, .currentDate, .currentTime: 0...0
        }
    }

    /// Why a function the DMS guide lists is not one ferry evaluates.
    static func refusal(of name: String) -> String? {
        switch name {
        case "random", "randomblob":
            "its value would differ each time a record is applied, so a redelivered or replayed record would "
                + "write another value than the first time (ferry's writes are idempotent)"
        case "zeroblob":
            "expressions carry no binary values (a column of zero bytes has no use in DynamoDB)"
        default: nil
        }
    }

    /// Whether the function compares its arguments, in the collation the first one with a COLLATE names.
    var comparesArguments: Bool { self == .min || self == .max || self == .nullif }

    func call(
        _ arguments: [SQLValue], collation: SQLCollation = .binary, now: Date = Date()
    ) throws(ExpressionEvaluationError) -> SQLValue {
        switch self {
        case .lower, .upper:
            guard let text = arguments[0].text else { return .null }
            let shift: Int32 = self == .lower ? 32 : -32
            let range: ClosedRange<Unicode.Scalar> = self == .lower ? "A"..."Z" : "a"..."z"
            var scalars = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                scalars.append(range.contains(scalar) ? Unicode.Scalar(UInt32(Int32(scalar.value) + shift))! : scalar)
            }
            return .text(String(scalars))
        case .substr, .substring:
            return Self.substring(arguments)
        case .trim, .ltrim, .rtrim:
            guard let text = arguments[0].text else { return .null }
            let set: Set<Unicode.Scalar>
            if arguments.count == 2 {
                guard let characters = arguments[1].text else { return .null }
                set = Set(characters.unicodeScalars)
            } else {
                set = [" "]
            }
            var scalars = Array(text.unicodeScalars)[...]
            if self != .rtrim { scalars = scalars.drop { set.contains($0) } }
            if self != .ltrim {
                while let last = scalars.last, set.contains(last) { scalars = scalars.dropLast() }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return .text(String(view))
        case .replace:
            guard let text = arguments[0].text, let pattern = arguments[1].text else { return .null }
            if pattern.isEmpty { return arguments[0] }
            guard let replacement = arguments[2].text else { return .null }
            return .text(Self.replacing(text, pattern, replacement))
        case .length:
            guard let text = arguments[0].text else { return .null }
            return .integer(Int64(text.unicodeScalars.count))
        case .round:
            return Self.round(arguments)
        case .abs:
            switch arguments[0] {
            case .null: return .null
            case .integer(let value):
                guard value != .min else { throw .failed("integer overflow in abs()") }
                return .integer(Swift.abs(value))
            case .real(let value): return .real(Swift.abs(value))
            case .text: return .real(Swift.abs(arguments[0].doubleValue))
            }
        case .coalesce, .ifnull:
            return arguments.first { $0 != .null } ?? .null
        case .nullif:
            return SQLComparison.compare(.notEqual, arguments[0], nil, arguments[1], nil, collation).truth == false
                ? .null : arguments[0]
        case .instr:
            guard let haystack = arguments[0].text, let needle = arguments[1].text else { return .null }
            let scalars = Array(haystack.unicodeScalars)
            let wanted = Array(needle.unicodeScalars)
            guard !wanted.isEmpty else { return .integer(1) }
            guard scalars.count >= wanted.count else { return .integer(0) }
            for start in 0...(scalars.count - wanted.count) where scalars[start..<(start + wanted.count)].elementsEqual(wanted) {
                return .integer(Int64(start + 1))
            }
            return .integer(0)
        case .hex:
            return .text((arguments[0].text ?? "").utf8.map { String(format: "%02X", $0) }.joined())
        case .typeof:
            return .text(arguments[0].typeName)
        case .min, .max:
            if arguments.contains(.null) { return .null }
            var best = arguments[0]
            for value in arguments.dropFirst() {
                let order = SQLComparison.order(value, best, collation)
                // As SQLite's minmaxFunc: min takes the last of equal values, max the first.
                if self == .min ? order <= 0 : order > 0 { best = value }
            }
            return best
        case .date, .time, .datetime, .julianday, .strftime, .currentTimestamp, .currentDate, .currentTime:
            return try SQLDateTime.call(self, arguments, now: now)
        case .printf, .format:
            return try SQLPrintf.format(arguments)
        }
    }

    /// substr(X, Y[, Z]) with SQLite's handling of negative and out-of-range positions and lengths.
    private static func substring(_ arguments: [SQLValue]) -> SQLValue {
        guard let text = arguments[0].text, arguments[1] != .null, arguments.count < 3 || arguments[2] != .null else {
            return .null
        }
        let scalars = Array(text.unicodeScalars)
        let length = Int64(scalars.count)
        // SQLite reads the positions with sqlite3_value_int: the low 32 bits of the integer.
        func int32(_ value: SQLValue) -> Int64 { Int64(Int32(truncatingIfNeeded: value.integerValue)) }
        var start = int32(arguments[1])
        var count: Int64 = arguments.count == 3 ? int32(arguments[2]) : 1_000_000_000
        var negativeCount = false
        if count < 0 {
            negativeCount = true
            count = count == .min ? .max : -count
        }
        if start < 0 {
            start = start.addingReportingOverflow(length).partialValue
            if start < 0 {
                count = Swift.max(count.addingReportingOverflow(start).partialValue, 0)
                start = 0
            }
        } else if start > 0 {
            start -= 1
        } else if count > 0 {
            count -= 1
        }
        if negativeCount {
            start -= count
            if start < 0 {
                count += start
                start = 0
            }
        }
        guard start < length, count > 0 else { return .text("") }
        let end = Swift.min(length, start.addingReportingOverflow(count).overflow ? length : start + count)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[Int(start)..<Int(end)])
        return .text(String(view))
    }

    private static func replacing(_ text: String, _ pattern: String, _ replacement: String) -> String {
        let source = Array(text.utf8)
        let wanted = Array(pattern.utf8)
        var result: [UInt8] = []
        var index = 0
        while index < source.count {
            if index + wanted.count <= source.count, source[index..<(index + wanted.count)].elementsEqual(wanted) {
                result.append(contentsOf: replacement.utf8)
                index += wanted.count
            } else {
                result.append(source[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// round(X[, N]) as SQLite 3.40 computes it: N (its low 32 bits) clamped to 0...30; a real with no fraction
    /// stays; N = 0 adds ±0.5 and truncates; otherwise X printed with `%.*f` (SQLite's own digits, so
    /// round(2.675, 2) is 2.68) and read back.
    private static func round(_ arguments: [SQLValue]) -> SQLValue {
        guard arguments[0] != .null, arguments.count < 2 || arguments[1] != .null else { return .null }
        let places = arguments.count == 2 ? Swift.min(Swift.max(Int32(truncatingIfNeeded: arguments[1].integerValue), 0), 30) : 0
        let value = arguments[0].doubleValue
        if value.isNaN || Swift.abs(value) > 4_503_599_627_370_496 { return .real(value) }
        if places == 0 { return .real(Double(Int64(value + (value < 0 ? -0.5 : 0.5)))) }
        return .real(Double(SQLPrintf.text("%.*f", [.integer(Int64(places)), .real(value)])) ?? value)
    }
}

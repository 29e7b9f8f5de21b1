import Foundation
import Shared

/// SQLite's date and time functions over a Julian day in milliseconds, as SQLite's date.c computes them:
/// time values `YYYY-MM-DD[ HH:MM[:SS[.SSS]]][Z|±HH:MM]`, `HH:MM[:SS[.SSS]]`, `now` and Julian day numbers;
/// modifiers `±N days|hours|minutes|seconds|months|years`, `start of day|month|year`, `weekday N`, `unixepoch`,
/// `localtime` and `utc`. Local time is UTC, as on a DMS replication instance, so the last two change no value.
/// Anything else makes the result NULL, as an invalid modifier does in SQLite.
enum SQLDateTime {
    private static let unixEpochJulianMilliseconds: Int64 = 210_866_760_000_000
    private static let maximumJulianMilliseconds: Int64 = 464_269_060_799_999

    static func call(_ function: ExpressionFunction, _ arguments: [SQLValue], now: Date) throws(ExpressionEvaluationError) -> SQLValue {
        var values = arguments
        var format: String?
        switch function {
        case .strftime:
            guard let text = values.removeFirst().text else { return .null }
            format = text
        case .currentTimestamp, .currentDate, .currentTime:
            values = []
        default:
            break
        }
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded()) + unixEpochJulianMilliseconds
        guard var julian = values.isEmpty ? nowMilliseconds : parse(values[0], now: nowMilliseconds) else {
            return .null
        }
        let raw: Double? = values.first.flatMap { value in
            if case .text(let text) = value, SQLValue.numericPrefix(of: text).isWhole { return value.doubleValue }
            if case .text = value { return nil }
            return value.doubleValue
        }
        // Whether the calendar date is known independently of `julian` (set by a `start of` modifier), so a
        // Julian day out of range in between is no error — SQLite checks the day only when it converts it.
        var calendarKnown = false
        for (index, modifier) in values.dropFirst().enumerated() {
            guard let text = modifier.text,
                let (next, calendar) = apply(
                    text.lowercased(), to: julian, raw: index == 0 ? raw : nil, calendarKnown: calendarKnown)
            else { return .null }
            calendarKnown = calendar
            // Out-of-range intermediate values are allowed (SQLite checks the end result), huge ones are not.
            guard abs(next) < 1_000_000_000_000_000 else { return .null }
            julian = next
        }
        guard (0...maximumJulianMilliseconds).contains(julian) else { return .null }
        let parts = Parts(julian)
        switch function {
        case .date, .currentDate: return .text(parts.date)
        case .time, .currentTime: return .text(parts.time)
        case .datetime, .currentTimestamp: return .text(parts.date + " " + parts.time)
        case .julianday: return .real(Double(julian) / 86_400_000)
        default: return .text(strftime(format ?? "", julian: julian, parts: parts))
        }
    }

    /// A time value as a Julian day in milliseconds; nil when it is not one.
    /// A number outside the Julian day range is `Int64.min`: only a following `unixepoch` can make it valid.
    private static func parse(_ value: SQLValue, now: Int64) -> Int64? {
        switch value {
        case .null: return nil
        case .integer, .real: return julianDayNumber(value.doubleValue)
        case .text(let text):
            if text.lowercased() == "now" { return now }
            if let julian = parseDateTime(text) { return julian }
            let prefix = SQLValue.numericPrefix(of: text)
            return prefix.isWhole ? julianDayNumber(prefix.value.doubleValue) : nil
        }
    }

    private static func julianDayNumber(_ day: Double) -> Int64 {
        guard day >= 0, day < 5_373_484.5 else { return .min }
        return Int64(day * 86_400_000 + 0.5)
    }

    private static func parseDateTime(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        var year = 2000
        var month = 1
        var day = 1
        let startsWithDate = scanner.startsWithDate()
        if startsWithDate {
            guard let y = scanner.number(digits: 4), scanner.skip("-"), let m = scanner.number(digits: 2),
                scanner.skip("-"), let d = scanner.number(digits: 2), (1...12).contains(m), (1...31).contains(d)
            else { return nil }
            (year, month, day) = (y, m, d)
            while scanner.skip("T") || scanner.skipSpaces() {}
            if scanner.isAtEnd { return julianMilliseconds(year: year, month: month, day: day) }
        }
        guard let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
            hour <= 24, minute < 60
        else { return nil }
        var seconds = 0.0
        if scanner.skip(":") {
            guard let whole = scanner.number(digits: 2), whole < 60 else { return nil }
            seconds = Double(whole)
            if scanner.skip("."), let (fraction, digits) = scanner.digitsAsDouble() {
                seconds += fraction / pow(10, Double(digits))
            }
        }
        var offsetMinutes = 0
        _ = scanner.skipSpaces()
        if scanner.skip("Z") || scanner.skip("z") {
        } else if let sign = scanner.sign() {
            guard let offsetHours = scanner.number(digits: 2), scanner.skip(":"),
                let offsetMinute = scanner.number(digits: 2), offsetHours < 15, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
        }
        _ = scanner.skipSpaces()
        guard scanner.isAtEnd else { return nil }
        var julian = julianMilliseconds(year: year, month: month, day: day)
        julian += Int64(hour) * 3_600_000 + Int64(minute) * 60000 + Int64(seconds * 1000 + 0.5)
        return julian - Int64(offsetMinutes) * 60000
    }

    /// SQLite's computeJD for midnight of a date.
    static func julianMilliseconds(year: Int, month: Int, day: Int) -> Int64 {
        var y = year
        var m = month
        if m <= 2 {
            y -= 1
            m += 12
        }
        let a = y / 100
        let b = 2 - a + a / 4
        let x1 = 36525 * (y + 4716) / 100
        let x2 = 306001 * (m + 1) / 10000
        return Int64((Double(x1 + x2 + day + b) - 1524.5) * 86_400_000)
    }

    /// The Julian day after `modifier`, and whether it came from calendar fields (see `calendarKnown`).
    private static func apply(_ modifier: String, to julian: Int64, raw: Double?, calendarKnown: Bool) -> (Int64, Bool)? {
        if modifier == "unixepoch" {
            guard let raw else { return nil }
            let milliseconds = raw * 1000 + Double(unixEpochJulianMilliseconds)
            guard milliseconds >= 0, milliseconds < 464_269_060_800_000 else { return nil }
            return (Int64(milliseconds + 0.5), false)
        }
        guard julian != .min else { return nil }
        if modifier == "localtime" || modifier == "utc" { return (julian, false) }
        let needsCalendar = modifier.hasPrefix("start of") || modifier.hasPrefix("weekday ")
            || modifier.hasSuffix("month") || modifier.hasSuffix("months")
            || modifier.hasSuffix("year") || modifier.hasSuffix("years")
        if needsCalendar, !calendarKnown, !(0...maximumJulianMilliseconds).contains(julian) { return nil }
        if modifier.hasPrefix("weekday ") { return weekday(modifier.dropFirst("weekday ".count), of: julian) }
        let parts = Parts(julian)
        switch modifier {
        case "start of day":
            return (julianMilliseconds(year: parts.year, month: parts.month, day: parts.day), true)
        case "start of month":
            return (julianMilliseconds(year: parts.year, month: parts.month, day: 1), true)
        case "start of year":
            return (julianMilliseconds(year: parts.year, month: 1, day: 1), true)
        default:
            break
        }
        let words = modifier.split(separator: " ", omittingEmptySubsequences: true)
        // Beyond ±10^7 (about 27,000 years of days) any amount leaves the valid range.
        guard words.count == 2, let amount = Double(words[0]), amount.isFinite, abs(amount) < 1e7 else { return nil }
        var unit = String(words[1])
        if unit.hasSuffix("s") { unit.removeLast() }
        let rounder = amount < 0 ? -0.5 : 0.5
        let scale: Double
        switch unit {
        case "second": scale = 1000
        case "minute": scale = 60000
        case "hour": scale = 3_600_000
        case "day": scale = 86_400_000
        case "month", "year":
            let whole = Int(amount)
            var year = parts.year
            var month = parts.month
            if unit == "month" {
                month += whole
                let carry = month > 0 ? (month - 1) / 12 : (month - 12) / 12
                year += carry
                month -= carry * 12
            } else {
                year += whole
            }
            let dayMilliseconds = julian - julianMilliseconds(year: parts.year, month: parts.month, day: parts.day)
            var result = julianMilliseconds(year: year, month: month, day: parts.day) + dayMilliseconds
            let fraction = amount - Double(whole)
            if fraction != 0 {
                result += Int64(fraction * (unit == "month" ? 30 : 365) * 86_400_000 + rounder)
            }
            return (result, false)  // SQLite recomputes the day after every ±N modifier
        default:
            return nil
        }
        return (julian + Int64(amount * scale + rounder), false)
    }

    /// `weekday N`: the same time on the next day that is weekday N (0 is Sunday), or this day if it is one.
    private static func weekday(_ argument: Substring, of julian: Int64) -> (Int64, Bool)? {
        guard let number = Double(argument.trimmingCharacters(in: .whitespaces)), number >= 0, number < 7,
            number == number.rounded(.towardZero)
        else { return nil }
        let target = Int64(number)
        var current = dayOfWeek(julian)
        if current > target { current -= 7 }
        return (julian + (target - current) * 86_400_000, false)
    }

    /// 0 for Sunday to 6 for Saturday, as SQLite computes it.
    private static func dayOfWeek(_ julian: Int64) -> Int64 {
        (julian + 129_600_000) / 86_400_000 % 7
    }

    private static func strftime(_ format: String, julian: Int64, parts: Parts) -> String {
        var result = ""
        var characters = format.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            guard let directive = characters.next() else { return result }
            switch directive {
            case "d": result += String(format: "%02d", parts.day)
            case "f": result += String(format: "%06.3f", min(parts.seconds, 59.999))
            case "H": result += String(format: "%02d", parts.hour)
            case "M": result += String(format: "%02d", parts.minute)
            case "S": result += String(format: "%02d", Int(parts.seconds))
            case "m": result += String(format: "%02d", parts.month)
            case "Y": result += String(format: "%04d", parts.year)
            case "s": result += String(julian / 1000 - unixEpochJulianMilliseconds / 1000)
            case "J": result += String(format: "%.16g", Double(julian) / 86_400_000)
            case "w": result += String(dayOfWeek(julian))
            case "j", "W":
                let yearStart = julianMilliseconds(year: parts.year, month: 1, day: 1)
                    + (julian - julianMilliseconds(year: parts.year, month: parts.month, day: parts.day))
                let dayOfYear = Int((julian - yearStart + 43_200_000) / 86_400_000)
                if directive == "j" {
                    result += String(format: "%03d", dayOfYear + 1)
                } else {
                    let weekday = Int((julian + 43_200_000) / 86_400_000 % 7)
                    result += String(format: "%02d", (dayOfYear + 7 - weekday) / 7)
                }
            case "%": result.append("%")
            default: return ""
            }
        }
        return result
    }

    /// SQLite's computeYMD and computeHMS.
    private struct Parts {
        var year, month, day, hour, minute: Int
        var seconds: Double

        init(_ julian: Int64) {
            let z = Int((julian + 43_200_000) / 86_400_000)
            var a = Int((Double(z) - 1_867_216.25) / 36524.25)
            a = z + 1 + a - (a / 4)
            let b = a + 1524
            let c = Int((Double(b) - 122.1) / 365.25)
            let d = (36525 * (c & 32767)) / 100
            let e = Int(Double(b - d) / 30.6001)
            let x1 = Int(30.6001 * Double(e))
            day = b - d - x1
            month = e < 14 ? e - 1 : e - 13
            year = month > 2 ? c - 4716 : c - 4715
            let dayMilliseconds = Int((julian + 43_200_000) % 86_400_000)
            seconds = Double(dayMilliseconds % 60000) / 1000
            let dayMinutes = dayMilliseconds / 60000
            minute = dayMinutes % 60
            hour = dayMinutes / 60
        }

        /// Years before 1 BC as SQLite writes them: a sign, then four digits.
        var date: String { (year < 0 ? "-" : "") + String(format: "%04d-%02d-%02d", Swift.abs(year), month, day) }
        var time: String { String(format: "%02d:%02d:%02d", hour, minute, Int(seconds)) }
    }
}

extension DigitScanner {
    /// The text starts with `YYYY-` (a time alone does not).
    fileprivate func startsWithDate() -> Bool {
        bytes.count >= 10 && bytes[bytes.startIndex + 4] == UInt8(ascii: "-")
    }

    /// Any number of digits as SQLite reads them: a double, and how many digits there were.
    fileprivate mutating func digitsAsDouble() -> (Double, Int)? {
        var value = 0.0
        var count = 0
        while let digit = nextDigit {
            value = value * 10 + Double(digit)
            count += 1
            index += 1
        }
        return count > 0 ? (value, count) : nil
    }
}

import Shared

/// Milliseconds since the Unix epoch to and from ISO-8601 text, in UTC: commit times for people, `--at` times
/// from them.
public enum ISOTimestamp {
    /// `2024-11-24T15:33:20.100Z`: always UTC, always milliseconds, so lines align and sort as text.
    public static func format(milliseconds: Int64) -> String {
        let (days, millisecondOfDay) = CivilCalendar.floorDivision(Int(milliseconds), 86_400_000)
        let date = CivilCalendar.date(fromDays: days)
        let second = millisecondOfDay / 1000
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2) + "T"
            + padded(second / 3600, 2) + ":" + padded(second / 60 % 60, 2) + ":" + padded(second % 60, 2) + "."
            + padded(millisecondOfDay % 1000, 3) + "Z"
    }

    /// Reads `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]`. Without a zone the time is taken as UTC
    /// (the commit times tail prints are UTC). Digits beyond milliseconds are dropped. Nil if it is not such a time.
    public static func parseMilliseconds(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"), let month = scanner.number(digits: 2),
            scanner.skip("-"), let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...CivilCalendar.daysInMonth(month, of: year)).contains(day)
        else { return nil }
        var millisecondOfDay = 0
        if scanner.skip("T") || scanner.skip(" ") {
            guard let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
                hour < 24, minute < 60
            else { return nil }
            var second = 0
            var millisecond = 0
            if scanner.skip(":") {
                guard let seconds = scanner.number(digits: 2), seconds < 60 else { return nil }
                second = seconds
                if scanner.skip(".") || scanner.skip(",") {
                    guard let fraction = scanner.fractionMilliseconds() else { return nil }
                    millisecond = fraction
                }
            }
            millisecondOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
        }
        guard let offsetSeconds = scanner.zoneOffsetSeconds(), scanner.isAtEnd else { return nil }
        let days = CivilCalendar.days(from: CivilCalendar.Date(year: year, month: month, day: day))
        return Int64(days) * 86_400_000 + Int64(millisecondOfDay) - Int64(offsetSeconds) * 1000
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads fixed-width decimal fields left to right; every read returns nil or false without a match.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard let digit = Self.digit(byte) else { return nil }
            value = value * 10 + digit
        }
        index += digits
        return value
    }

    /// One or more fraction digits, as whole milliseconds (truncated).
    mutating func fractionMilliseconds() -> Int? {
        let start = index
        var milliseconds = 0
        while index < bytes.count, let digit = Self.digit(bytes[index]) {
            if index - start < 3 { milliseconds = milliseconds * 10 + digit }
            index += 1
        }
        let count = index - start
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { milliseconds *= 10 }
        return milliseconds
    }

    /// `Z`, `±HH`, `±HHMM` or `±HH:MM` in seconds east of UTC; nothing at all is UTC.
    mutating func zoneOffsetSeconds() -> Int? {
        if isAtEnd || skip("Z") || skip("z") { return 0 }
        let sign: Int
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
        guard let hours = number(digits: 2), hours <= 23 else { return nil }
        _ = skip(":")
        let minutes = isAtEnd ? 0 : number(digits: 2)
        guard let minutes, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}

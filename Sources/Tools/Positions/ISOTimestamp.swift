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
                    guard let fraction = scanner.fraction(scale: 3) else { return nil }
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

extension DigitScanner {
    /// `Z`, `±HH`, `±HHMM` or `±HH:MM` in seconds east of UTC; nothing at all is UTC.
    fileprivate mutating func zoneOffsetSeconds() -> Int? {
        if isAtEnd || skip("Z") || skip("z") { return 0 }
        guard let sign = sign(), let hours = number(digits: 2), hours <= 23 else { return nil }
        _ = skip(":")
        let minutes = isAtEnd ? 0 : number(digits: 2)
        guard let minutes, minutes < 60 else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }
}

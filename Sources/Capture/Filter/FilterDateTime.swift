import Shared

/// `date`, `timestamp` and `timestamptz` as one number each that orders as PostgreSQL orders them: days, or
/// microseconds, since 1970-01-01 (proleptic Gregorian; the instant in UTC with a zone); `-infinity` and
/// `infinity` at the ends. Reads PostgreSQL's ISO output (capture's sessions use `DateStyle=ISO`, `TimeZone=UTC`)
/// and the forms a filter value may take.
enum FilterDateTime {
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// A column value: `YYYY-MM-DD[ BC]` or an infinity.
    static func dateValue(_ text: String) -> Int64? {
        if let infinity = infinity(text) { return infinity }
        let beforeChrist = text.hasSuffix(" BC")
        var scanner = DigitScanner(Array(text.utf8))
        guard let days = scanner.date(beforeChrist: beforeChrist), scanner.era(beforeChrist: beforeChrist), scanner.isAtEnd
        else { return nil }
        return days
    }

    /// A column value: `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]][ BC]` or an infinity.
    static func timestampValue(_ text: String) -> Int64? {
        if let infinity = infinity(text) { return infinity }
        let beforeChrist = text.hasSuffix(" BC")
        var scanner = DigitScanner(Array(text.utf8))
        guard let days = scanner.date(beforeChrist: beforeChrist), scanner.skip(" ") || scanner.skip("T"),
            let time = scanner.time()
        else { return nil }
        let offset = scanner.offset() ?? 0
        guard scanner.era(beforeChrist: beforeChrist), scanner.isAtEnd else { return nil }
        return days * microsecondsPerDay + time - offset
    }

    /// A filter's value for a `date` column: `YYYY-MM-DD`, as DMS documents it.
    static func dateLiteral(_ text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let days = scanner.date(), scanner.isAtEnd else { return nil }
        return days
    }

    /// A filter's value for a `timestamp` (`withZone` false) or `timestamptz` column: `YYYY-MM-DD`, or
    /// `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or with `T`); for `timestamptz` optionally `Z` or `±HH[:MM]`, else UTC.
    static func timestampLiteral(_ text: String, withZone: Bool) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let days = scanner.date() else { return nil }
        if scanner.isAtEnd { return days * microsecondsPerDay }
        guard scanner.skip(" ") || scanner.skip("T"), let time = scanner.time() else { return nil }
        var offset: Int64 = 0
        if withZone, !scanner.isAtEnd {
            if scanner.skip("Z") { offset = 0 } else { guard let zone = scanner.offset() else { return nil }; offset = zone }
        }
        guard scanner.isAtEnd else { return nil }
        return days * microsecondsPerDay + time - offset
    }

    private static func infinity(_ text: String) -> Int64? {
        switch text {
        case "infinity": .max
        case "-infinity": .min
        default: nil
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (`year` astronomical: 0 is 1 BC).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// The fields of PostgreSQL's ISO output and of filter literals. `beforeChrist`: the text ends in ` BC`
/// (PostgreSQL's output for years before 1 AD), so its year counts backwards.
extension DigitScanner {
    fileprivate mutating func date(beforeChrist: Bool = false) -> Int64? {
        guard let written = number(minDigits: 4, maxDigits: 9), skip("-"), let month = number(digits: 2), skip("-"),
            let day = number(digits: 2)
        else { return nil }
        // 1 BC is the astronomical year 0.
        let year = Int64(beforeChrist ? 1 - written : written)
        guard written >= 1, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
            return nil
        }
        return FilterDateTime.days(year: year, month: Int64(month), day: Int64(day))
    }

    /// Consumes the ` BC` the date was read as (true when there is none to consume).
    fileprivate mutating func era(beforeChrist: Bool) -> Bool {
        !beforeChrist || skip(word: " BC")
    }

    /// Microseconds since midnight: `HH:MM[:SS[.ffffff]]`.
    fileprivate mutating func time() -> Int64? {
        guard let hour = number(digits: 2), skip(":"), let minute = number(digits: 2), hour <= 24, minute < 60 else {
            return nil
        }
        var micros: Int64 = 0
        if skip(":") {
            guard let second = number(digits: 2), second < 60 else { return nil }
            micros = Int64(second) * 1_000_000
            if skip(".") {
                let start = index
                guard let fraction = fraction(scale: 6), index - start <= 6 else { return nil }
                micros += Int64(fraction)
            }
        }
        micros += Int64(hour * 60 + minute) * 60_000_000
        guard hour < 24 || micros == 24 * 3_600_000_000 else { return nil }
        return micros
    }

    /// `±HH[:MM[:SS]]` in microseconds east of UTC.
    fileprivate mutating func offset() -> Int64? {
        let start = index
        guard let sign = sign(), let hours = number(digits: 2) else {
            index = start
            return nil
        }
        var seconds = hours * 3600
        if skip(":"), let minutes = number(digits: 2) { seconds += minutes * 60 }
        if skip(":"), let rest = number(digits: 2) { seconds += rest }
        return Int64(sign * seconds) * 1_000_000
    }

    private static func daysIn(month: Int, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28  // also right for year ≤ 0
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

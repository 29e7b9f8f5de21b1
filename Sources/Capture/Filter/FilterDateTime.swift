/// `date`, `timestamp` and `timestamptz` as one number each that orders as PostgreSQL orders them: days, or
/// microseconds, since 1970-01-01 (proleptic Gregorian; the instant in UTC with a zone); `-infinity` and
/// `infinity` at the ends. Reads PostgreSQL's ISO output (capture's sessions use `DateStyle=ISO`, `TimeZone=UTC`)
/// and the forms a filter value may take.
enum FilterDateTime {
    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// A column value: `YYYY-MM-DD[ BC]` or an infinity.
    static func dateValue(_ text: String) -> Int64? {
        if let infinity = infinity(text) { return infinity }
        var scanner = Scanner(text)
        guard let days = scanner.date(), scanner.era(), scanner.isAtEnd else { return nil }
        return days
    }

    /// A column value: `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM[:SS]]][ BC]` or an infinity.
    static func timestampValue(_ text: String) -> Int64? {
        if let infinity = infinity(text) { return infinity }
        var scanner = Scanner(text)
        guard let days = scanner.date(), scanner.skip(" ") || scanner.skip("T"), let time = scanner.time() else { return nil }
        let offset = scanner.offset() ?? 0
        guard scanner.era(), scanner.isAtEnd else { return nil }
        return days * microsecondsPerDay + time - offset
    }

    /// A filter's value for a `date` column: `YYYY-MM-DD`, as DMS documents it.
    static func dateLiteral(_ text: String) -> Int64? {
        var scanner = Scanner(text, eras: false)
        guard let days = scanner.date(), scanner.isAtEnd else { return nil }
        return days
    }

    /// A filter's value for a `timestamp` (`withZone` false) or `timestamptz` column: `YYYY-MM-DD`, or
    /// `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or with `T`); for `timestamptz` optionally `Z` or `±HH[:MM]`, else UTC.
    static func timestampLiteral(_ text: String, withZone: Bool) -> Int64? {
        var scanner = Scanner(text, eras: false)
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

    private struct Scanner {
        private let bytes: [UInt8]
        private var position = 0
        /// The text ends in ` BC` (PostgreSQL's output for years before 1 AD).
        private let isBeforeChrist: Bool

        init(_ text: String, eras: Bool = true) {
            bytes = Array(text.utf8)
            isBeforeChrist = eras && text.hasSuffix(" BC")
        }

        var isAtEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Character) -> Bool {
            guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
            position += 1
            return true
        }

        /// `count` digits, or at least `count` when `orMore`.
        private mutating func number(_ count: Int, orMore: Bool = false) -> Int64? {
            var value: Int64 = 0
            var read = 0
            while position < bytes.count, (48...57).contains(bytes[position]), orMore || read < count, read < 9 {
                value = value * 10 + Int64(bytes[position] - 48)
                position += 1
                read += 1
            }
            return read >= count ? value : nil
        }

        mutating func date() -> Int64? {
            guard let written = number(4, orMore: true), skip("-"), let month = number(2), skip("-"), let day = number(2)
            else { return nil }
            // Years before 1 AD count backwards: 1 BC is the astronomical year 0.
            let year = isBeforeChrist ? 1 - written : written
            guard written >= 1, (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
                return nil
            }
            return FilterDateTime.days(year: year, month: month, day: day)
        }

        /// Consumes the ` BC` the date was read as (true when there is none to consume).
        mutating func era() -> Bool {
            guard isBeforeChrist else { return true }
            guard bytes[position...].elementsEqual(" BC".utf8) else { return false }
            position = bytes.count
            return true
        }

        /// Microseconds since midnight: `HH:MM[:SS[.ffffff]]`.
        mutating func time() -> Int64? {
            guard let hour = number(2), skip(":"), let minute = number(2), hour <= 24, minute < 60 else { return nil }
            var micros: Int64 = 0
            if skip(":") {
                guard let second = number(2), second < 60 else { return nil }
                micros = second * 1_000_000
                if skip(".") {
                    let start = position
                    guard let fraction = number(1, orMore: true), position - start <= 6 else { return nil }
                    var scale: Int64 = 1
                    for _ in 0..<(6 - (position - start)) { scale *= 10 }
                    micros += fraction * scale
                }
            }
            micros += (hour * 60 + minute) * 60_000_000
            guard hour < 24 || micros == 24 * 3_600_000_000 else { return nil }
            return micros
        }

        /// `±HH[:MM[:SS]]` in microseconds east of UTC.
        mutating func offset() -> Int64? {
            let start = position
            guard position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")
            else { return nil }
            let sign: Int64 = bytes[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = number(2) else {
                position = start
                return nil
            }
            var seconds = hours * 3600
            if skip(":"), let minutes = number(2) { seconds += minutes * 60 }
            if skip(":"), let rest = number(2) { seconds += rest }
            return sign * seconds * 1_000_000
        }

        private static func daysIn(month: Int64, year: Int64) -> Int64 {
            switch month {
            case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28  // also right for year ≤ 0
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
    }
}

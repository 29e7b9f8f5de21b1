/// Debezium's time values written as Ferry's records write the same PostgreSQL values (docs/design.md, "Column
/// values"): `date` `YYYY-MM-DD`, `timestamp` ISO-8601 without zone, `timestamptz` ISO-8601 in UTC with `Z`, `time`
/// as PostgreSQL prints it; fractions without trailing zeros — and back (`epochDays(ofDate:)` …), for the encoder.
/// Pure functions of the value and its logical type.
enum DebeziumTemporal {
    /// Microseconds from 1970-01-01 (Debezium's epoch) to 2000-01-01 (PostgreSQL's).
    private static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
    private static let postgresEpochDays: Int64 = 10_957

    /// `io.debezium.time.Date`, `org.apache.kafka.connect.data.Date`: days since 1970-01-01.
    static func date(epochDays: Int64) -> String? {
        guard let days = Int32(exactly: epochDays - postgresEpochDays) else { return nil }
        return PostgresBinaryDateTime.text { PostgresBinaryDateTime.writeDate(days, to: &$0) }
    }

    /// The `Timestamp` types: microseconds since 1970-01-01, without zone.
    static func timestamp(epochMicroseconds: Int64, withZone: Bool = false) -> String? {
        let (since2000, overflow) = epochMicroseconds.subtractingReportingOverflow(postgresEpochMicroseconds)
        guard !overflow else { return nil }
        return PostgresBinaryDateTime.text { PostgresBinaryDateTime.writeTimestamp(since2000, withZone: withZone, to: &$0) }
    }

    /// The `Time` types: microseconds since midnight (up to 24:00:00, which PostgreSQL allows).
    static func time(microseconds: Int64) -> String? {
        guard (0...86_400_000_000).contains(microseconds) else { return nil }
        return PostgresBinaryDateTime.text { PostgresBinaryDateTime.writeTime(microseconds, to: &$0) }
    }

    /// `io.debezium.time.ZonedTimestamp`: ISO-8601 in UTC (`2018-06-20T10:27:35.000612Z`; another offset is moved to
    /// UTC), read as PostgreSQL's text of the same `timestamptz` (`2018-06-20 10:27:35.000612+00`); `infinity` and
    /// `-infinity` as they are.
    static func zonedTimestamp(_ text: String) -> String? {
        var bytes = Array(postgresZone(text).utf8)
        if bytes.count > 10, bytes[10] == UInt8(ascii: "T") { bytes[10] = UInt8(ascii: " ") }
        return bytes.withUnsafeBytes { try? PostgresDateTime.timestamp($0, withZone: true) }
    }

    /// `io.debezium.time.ZonedTime`: `HH:MM:SS[.fraction]Z` (UTC), as PostgreSQL prints that `timetz`:
    /// `10:15:30.5+00`.
    static func zonedTime(_ text: String) -> String? {
        let postgresText = postgresZone(text)
        let isValid = Array(postgresText.utf8).withUnsafeBytes { PostgresDateTime.isTimeWithZone($0) }
        return isValid ? postgresText : nil
    }

    /// ISO-8601's `Z` written as PostgreSQL writes UTC, `+00`.
    private static func postgresZone(_ text: String) -> String {
        text.hasSuffix("Z") ? text.dropLast() + "+00" : text
    }

    // MARK: Ferry's values as Debezium's (the encoder). Nil for what has no such form: BC dates, infinities.

    /// `YYYY-MM-DD` as days since 1970-01-01.
    static func epochDays(ofDate text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let date = scanner.date(), scanner.isAtEnd else { return nil }
        return Int64(CivilCalendar.days(from: date))
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (Ferry's `timestamp`; a trailing `Z`, `timestamptz`'s, is allowed) as
    /// microseconds since 1970-01-01.
    static func epochMicroseconds(ofTimestamp text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let date = scanner.date(), scanner.skip("T"), let time = scanner.timeOfDay() else { return nil }
        _ = scanner.skip("Z")
        guard scanner.isAtEnd else { return nil }
        return Int64(CivilCalendar.days(from: date)) * 86_400_000_000 + time
    }

    /// `HH:MM:SS[.ffffff]` (`time`) as microseconds since midnight.
    static func microseconds(ofTime text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let time = scanner.timeOfDay(), scanner.isAtEnd else { return nil }
        return time
    }

    /// `timetz` as PostgreSQL prints it (`10:15:30.5+02`, `…-03:30`) as `ZonedTime`'s ISO text in UTC
    /// (`08:15:30.5Z`): the time moved by its offset, within the day.
    static func utcTime(ofZonedTime text: String) -> String? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let time = scanner.timeOfDay(), let sign = scanner.sign(), let hours = scanner.number(digits: 2) else {
            return nil
        }
        var offsetSeconds = hours * 3600
        if scanner.skip(":"), let minutes = scanner.number(digits: 2) { offsetSeconds += minutes * 60 }
        if scanner.skip(":"), let seconds = scanner.number(digits: 2) { offsetSeconds += seconds }
        guard scanner.isAtEnd else { return nil }
        let day: Int64 = 86_400_000_000
        let utc = ((time - Int64(sign * offsetSeconds) * 1_000_000) % day + day) % day
        return PostgresBinaryDateTime.text { PostgresBinaryDateTime.writeTime(utc, to: &$0) } + "Z"
    }
}

extension DigitScanner {
    /// `YYYY-MM-DD`.
    fileprivate mutating func date() -> CivilCalendar.Date? {
        guard let year = number(digits: 4), skip("-"), let month = number(digits: 2), skip("-"),
            let day = number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return CivilCalendar.Date(year: year, month: month, day: day)
    }

    /// `HH:MM:SS[.f…]` as microseconds (a fraction beyond six digits is cut, as PostgreSQL never prints one).
    fileprivate mutating func timeOfDay() -> Int64? {
        guard let hour = number(digits: 2), skip(":"), let minute = number(digits: 2), skip(":"),
            let second = number(digits: 2), hour <= 24, minute < 60, second < 61
        else { return nil }
        var micros = ((hour * 60 + minute) * 60 + second) * 1_000_000
        if skip(".") {
            guard let fraction = fraction(scale: 6) else { return nil }
            micros += fraction
        }
        return Int64(micros)
    }
}

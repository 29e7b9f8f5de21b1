/// `date`, `timestamp` and `timestamptz` in PostgreSQL's ISO output (`DateStyle=ISO`) to ISO-8601 record strings.
///
/// `infinity`, `-infinity` and BC values have no plain ISO-8601 form; they are kept exactly as PostgreSQL prints them.
enum PostgresDateTime {
    /// Validates `YYYY-MM-DD` (optionally ` BC`) and returns it unchanged.
    static func date(_ text: UnsafeRawBufferPointer) throws(InvalidPostgresText) -> String {
        try validateDate(text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Throws unless `text` is `YYYY-MM-DD` (optionally ` BC`) or an infinity.
    static func validateDate(_ text: UnsafeRawBufferPointer) throws(InvalidPostgresText) {
        var scanner = DigitScanner(text)
        if scanner.isInfinity { return }
        guard scanner.scanDate() != nil else { throw invalid("not a date (YYYY-MM-DD)") }
        _ = scanner.skip(word: " BC")
        guard scanner.isAtEnd else { throw invalid("not a date (YYYY-MM-DD)") }
    }

    /// `2024-01-02 03:04:05.123456` becomes `2024-01-02T03:04:05.123456`; with a zone, the value is moved to UTC
    /// and ends in `Z`: `2024-01-02 03:04:05+05:30` becomes `2024-01-01T21:34:05Z`.
    static func timestamp(_ text: UnsafeRawBufferPointer, withZone: Bool) throws(InvalidPostgresText) -> String {
        var sink = ByteSink(capacity: text.count + 2)
        try writeTimestamp(text, withZone: withZone, to: &sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// `timestamp`'s result written to `sink` (unquoted), so record encoders need no String per value.
    /// Writes nothing when it throws: the text is checked before the first byte goes out.
    static func writeTimestamp(_ text: UnsafeRawBufferPointer, withZone: Bool, to sink: inout ByteSink)
        throws(InvalidPostgresText)
    {
        let expected =
            withZone
            ? "not a timestamptz (YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]])"
            : "not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"
        var scanner = DigitScanner(text)
        if scanner.isInfinity {
            sink.append(text)
            return
        }
        guard var date = scanner.scanDate() else { throw invalid(expected) }
        let dateLength = scanner.index
        guard scanner.skip(" "), var time = scanner.scanTime() else { throw invalid(expected) }
        let fraction = scanner.scanFraction()
        let offsetSeconds = withZone ? scanner.scanZoneOffset() : 0
        let isBC = scanner.skip(word: " BC")
        guard let offsetSeconds, scanner.isAtEnd else { throw invalid(expected) }
        if isBC {
            sink.append(text)
            return
        }

        if offsetSeconds == 0, dateLength == 10 {
            // Already UTC, four-digit year (the common case): the text as it is, with a `T`.
            sink.append(UnsafeRawBufferPointer(rebasing: text[0..<10]))
            sink.append(UInt8(ascii: "T"))
            sink.append(UnsafeRawBufferPointer(rebasing: text[11..<19]))
        } else {
            if offsetSeconds != 0 {
                (date, time) = utc(date: date, time: time, offsetSeconds: offsetSeconds)
            }
            appendDate(date, to: &sink)
            sink.append(UInt8(ascii: "T"))
            appendTime(time, to: &sink)
        }
        sink.append(fraction)
        if withZone { sink.append(UInt8(ascii: "Z")) }
    }

    /// True when `text` is a `timetz` as PostgreSQL prints it: `HH:MM:SS[.ffffff]+HH[:MM[:SS]]`.
    static func isTimeWithZone(_ text: UnsafeRawBufferPointer) -> Bool {
        var scanner = DigitScanner(text)
        guard scanner.scanTime() != nil else { return false }
        _ = scanner.scanFraction()
        return scanner.scanZoneOffset() != nil && scanner.isAtEnd
    }

    // MARK: Calendar

    typealias CivilDate = CivilCalendar.Date

    struct TimeOfDay {
        var hour: Int, minute: Int, second: Int
    }

    /// Subtracts the zone offset, carrying into the date (proleptic Gregorian, like PostgreSQL).
    private static func utc(date: CivilDate, time: TimeOfDay, offsetSeconds: Int) -> (CivilDate, TimeOfDay) {
        let seconds = time.hour * 3600 + time.minute * 60 + time.second - offsetSeconds
        let (dayShift, secondOfDay) = CivilCalendar.floorDivision(seconds, 86_400)
        let shiftedDate =
            dayShift == 0 ? date : CivilCalendar.date(fromDays: CivilCalendar.days(from: date) + dayShift)
        return (
            shiftedDate, TimeOfDay(hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
        )
    }

    // MARK: Text

    /// `YYYY-MM-DD` (the year as it is: at least four digits, with its sign if negative).
    static func appendDate(_ date: CivilDate, to sink: inout ByteSink) {
        if (0..<10_000).contains(date.year) {
            appendTwoDigits(date.year / 100, to: &sink)
            appendTwoDigits(date.year % 100, to: &sink)
        } else {
            appendPadded(date.year, width: 4, to: &sink)
        }
        sink.append(UInt8(ascii: "-"))
        appendTwoDigits(date.month, to: &sink)
        sink.append(UInt8(ascii: "-"))
        appendTwoDigits(date.day, to: &sink)
    }

    /// `HH:MM:SS`.
    static func appendTime(_ time: TimeOfDay, to sink: inout ByteSink) {
        appendTwoDigits(time.hour, to: &sink)
        sink.append(UInt8(ascii: ":"))
        appendTwoDigits(time.minute, to: &sink)
        sink.append(UInt8(ascii: ":"))
        appendTwoDigits(time.second, to: &sink)
    }

    /// `value` (0...99) as two digits, for the fields of every date and time: `appendPadded`'s general loop,
    /// a division per digit, stood out in profiles of a snapshot.
    @inline(__always)
    private static func appendTwoDigits(_ value: Int, to sink: inout ByteSink) {
        sink.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10))
        sink.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (the sign does not count).
    static func appendPadded(_ value: Int, width: Int, to sink: inout ByteSink) {
        if value < 0 { sink.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        var digitCount = 1
        while divisor <= magnitude / 10 {
            divisor *= 10
            digitCount += 1
        }
        for _ in digitCount..<max(width, digitCount) { sink.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            sink.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }

    private static func invalid(_ reason: String) -> InvalidPostgresText {
        InvalidPostgresText(reason: reason)
    }
}

/// The fields of PostgreSQL's ISO date/time output, left to right.
extension DigitScanner where Bytes == UnsafeRawBufferPointer {
    fileprivate var isInfinity: Bool {
        // Dates start with a digit: look at the first byte before comparing whole words.
        guard let first = bytes.first, !ASCII.isDigit(first) else { return false }
        return bytes.elementsEqual("infinity".utf8) || bytes.elementsEqual("-infinity".utf8)
    }

    /// `YYYY-MM-DD`; PostgreSQL pads years to four digits and prints up to seven.
    fileprivate mutating func scanDate() -> PostgresDateTime.CivilDate? {
        guard let year = number(minDigits: 4, maxDigits: 7), skip("-"),
            let month = number(digits: 2), (1...12).contains(month), skip("-"),
            let day = number(digits: 2), (1...31).contains(day)
        else { return nil }
        return PostgresDateTime.CivilDate(year: year, month: month, day: day)
    }

    fileprivate mutating func scanTime() -> PostgresDateTime.TimeOfDay? {
        guard let hour = number(digits: 2), hour < 24, skip(":"),
            let minute = number(digits: 2), minute < 60, skip(":"),
            let second = number(digits: 2), second < 60
        else { return nil }
        return PostgresDateTime.TimeOfDay(hour: hour, minute: minute, second: second)
    }

    /// `.ffffff`, returned with its dot, or empty.
    fileprivate mutating func scanFraction() -> UnsafeRawBufferPointer {
        let start = index
        guard skip("."), number(minDigits: 1, maxDigits: 6) != nil else {
            index = start
            return UnsafeRawBufferPointer(rebasing: bytes[start..<start])
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    /// `+HH`, `-HH:MM` or `+HH:MM:SS`, in seconds east of UTC.
    fileprivate mutating func scanZoneOffset() -> Int? {
        guard let sign = sign(), let hours = number(digits: 2), hours <= 15 else { return nil }
        var seconds = hours * 3600
        for unit in [60, 1] {
            guard skip(":") else { break }
            guard let value = number(digits: 2), value < 60 else { return nil }
            seconds += value * unit
        }
        return sign * seconds
    }
}

/// `date`, `timestamp` and `timestamptz` in their binary form (days or microseconds since 2000-01-01, UTC for
/// `timestamptz`) written as `PostgresDateTime` writes their ISO text output: `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (+ `Z` with a zone); infinities and BC values as PostgreSQL prints them
/// (in UTC, the zone capture's sessions use).
enum PostgresBinaryDateTime {
    /// Days from 1970-01-01 (`CivilCalendar`'s origin) to 2000-01-01 (PostgreSQL's).
    private static let epochDays = 10_957
    private static let microsecondsPerDay = 86_400_000_000

    static func writeDate(_ days: Int32, to sink: inout ByteSink) {
        sink.append(UInt8(ascii: "\""))
        switch days {
        case .max: sink.append("infinity")
        case .min: sink.append("-infinity")
        default:
            let date = CivilCalendar.date(fromDays: Int(days) + epochDays)
            PostgresDateTime.appendDate(numberedForBC(date), to: &sink)
            if date.year <= 0 { sink.append(" BC") }
        }
        sink.append(UInt8(ascii: "\""))
    }

    static func writeTimestamp(_ microseconds: Int64, withZone: Bool, to sink: inout ByteSink) {
        sink.append(UInt8(ascii: "\""))
        defer { sink.append(UInt8(ascii: "\"")) }
        switch microseconds {
        case .max: return sink.append("infinity")
        case .min: return sink.append("-infinity")
        default: break
        }
        let (days, timeOfDay) = CivilCalendar.floorDivision(Int(microseconds), microsecondsPerDay)
        let date = CivilCalendar.date(fromDays: days + epochDays)
        let isBC = date.year <= 0
        PostgresDateTime.appendDate(numberedForBC(date), to: &sink)
        // ISO-8601 for AD; for BC PostgreSQL's own text (`0044-03-15 12:00:00+00 BC`), which has no ISO form.
        sink.append(UInt8(ascii: isBC ? " " : "T"))
        let seconds = timeOfDay / 1_000_000
        let time = PostgresDateTime.TimeOfDay(hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
        PostgresDateTime.appendTime(time, to: &sink)
        appendFraction(timeOfDay % 1_000_000, to: &sink)
        if isBC {
            if withZone { sink.append("+00") }
            sink.append(" BC")
        } else if withZone {
            sink.append(UInt8(ascii: "Z"))
        }
    }

    /// `time` in its binary form (microseconds since midnight) as PostgreSQL prints it: `HH:MM:SS[.ffffff]`,
    /// without quotes (Debezium's time types, `DebeziumColumnValue`).
    static func writeTime(_ microseconds: Int64, to sink: inout ByteSink) {
        let seconds = Int(microseconds / 1_000_000)
        let time = PostgresDateTime.TimeOfDay(hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60)
        PostgresDateTime.appendTime(time, to: &sink)
        appendFraction(Int(microseconds % 1_000_000), to: &sink)
    }

    /// What `write` appends, without the quotes `writeDate` and `writeTimestamp` put around it.
    static func text(_ write: (inout ByteSink) -> Void) -> String {
        var sink = ByteSink(capacity: 40)
        write(&sink)
        var bytes = Array(sink.bytes)
        if bytes.first == UInt8(ascii: "\""), bytes.last == UInt8(ascii: "\""), bytes.count >= 2 {
            bytes = Array(bytes.dropFirst().dropLast())
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The date with a year before 1 AD numbered as PostgreSQL prints it with BC (year 0 is 1 BC).
    private static func numberedForBC(_ date: CivilCalendar.Date) -> CivilCalendar.Date {
        date.year > 0 ? date : CivilCalendar.Date(year: 1 - date.year, month: date.month, day: date.day)
    }

    /// `.ffffff` without trailing zeros, nothing for whole seconds (PostgreSQL's `AppendSeconds`).
    private static func appendFraction(_ microseconds: Int, to sink: inout ByteSink) {
        guard microseconds > 0 else { return }
        var digits = microseconds
        var count = 6
        while digits % 10 == 0 {
            digits /= 10
            count -= 1
        }
        sink.append(UInt8(ascii: "."))
        PostgresDateTime.appendPadded(digits, width: count, to: &sink)
    }
}

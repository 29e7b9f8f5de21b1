/// Debezium's time values written as Ferry's records write the same PostgreSQL values (docs/design.md, "Column
/// values"): `date` `YYYY-MM-DD`, `timestamp` ISO-8601 without zone, `timestamptz` ISO-8601 in UTC with `Z`, `time`
/// as PostgreSQL prints it; fractions without trailing zeros. Pure functions of the value and its logical type.
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
}

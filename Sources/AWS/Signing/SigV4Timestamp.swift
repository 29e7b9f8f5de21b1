import Foundation

/// The two renderings of the signing time that SigV4 uses, both in UTC.
///
/// Formatted from calendar fields computed arithmetically rather than with
/// `DateFormatter`, whose locale, calendar and time-zone defaults can silently
/// produce a different (non-Gregorian, non-UTC) date on a misconfigured host.
struct SigV4Timestamp: Sendable {
    /// `yyyyMMdd'T'HHmmss'Z'`, the `X-Amz-Date` value.
    let amzDate: String
    /// `yyyyMMdd`, the date in the credential scope and signing-key derivation.
    let dateStamp: String

    /// Dates outside the years 0000–9999 are clamped to that range, the only
    /// one the four-digit year of a SigV4 timestamp can express.
    init(_ date: Date) {
        let firstSecondOfYear0000 = -62_167_219_200.0
        let lastSecondOfYear9999 = 253_402_300_799.0
        // `maximum` returns the non-NaN operand, so a NaN date also lands in range.
        let clamped = Double.minimum(
            Double.maximum(date.timeIntervalSince1970.rounded(.down), firstSecondOfYear0000),
            lastSecondOfYear9999
        )
        let secondsSinceEpoch = Int64(clamped)
        let secondsPerDay: Int64 = 86_400
        let (days, secondOfDay) = Self.flooredDivision(secondsSinceEpoch, by: secondsPerDay)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)

        let dateStamp = Self.zeroPadded(year, width: 4) + Self.zeroPadded(month, width: 2)
            + Self.zeroPadded(day, width: 2)
        let time = Self.zeroPadded(secondOfDay / 3600, width: 2)
            + Self.zeroPadded(secondOfDay % 3600 / 60, width: 2)
            + Self.zeroPadded(secondOfDay % 60, width: 2)
        self.dateStamp = dateStamp
        self.amzDate = dateStamp + "T" + time + "Z"
    }

    private static func flooredDivision(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// Proleptic Gregorian year, month and day for a count of days since 1970-01-01
    /// (Howard Hinnant's `civil_from_days`, which works in 400-year eras starting on March 1).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let daysSinceEra0 = daysSinceEpoch + 719_468
        let era = flooredDivision(daysSinceEra0, by: 146_097).quotient
        let dayOfEra = daysSinceEra0 - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchBasedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchBasedMonth + 2) / 5 + 1
        let month = marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func zeroPadded(_ value: Int64, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

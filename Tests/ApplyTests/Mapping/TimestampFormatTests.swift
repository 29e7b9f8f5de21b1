import Shared
import Testing

@testable import Apply

/// `--timestamp-format fixed`: time values with six fraction digits, so that strings sort as time.
@Suite("Timestamp format")
struct TimestampFormatTests {
    @Test(arguments: [
        // Whole seconds and trimmed fractions gain their zeros; six digits stay as they are.
        ("2024-11-24T15:33:01Z", "2024-11-24T15:33:01.000000Z"),
        ("2024-11-24T15:33:01.5Z", "2024-11-24T15:33:01.500000Z"),
        ("2024-11-24T15:33:01.123456Z", "2024-11-24T15:33:01.123456Z"),
        ("2024-11-24T15:33:01", "2024-11-24T15:33:01.000000"),
        ("2024-11-24T15:33:01.25", "2024-11-24T15:33:01.250000"),
        // Years below 1000 are already four digits in the record.
        ("0999-01-02T03:04:05.1", "0999-01-02T03:04:05.100000"),
        // BC values keep PostgreSQL's text (records keep it so), the fraction widened before the zone and era.
        ("0044-03-15 12:00:00 BC", "0044-03-15 12:00:00.000000 BC"),
        ("0044-03-15 12:00:00.5+00 BC", "0044-03-15 12:00:00.500000+00 BC"),
        // No time of day: as it is.
        ("infinity", "infinity"),
        ("-infinity", "-infinity"),
        // time and timetz: the zone stays.
        ("15:00:00", "15:00:00.000000"),
        ("15:00:00.5+02", "15:00:00.500000+02"),
        ("23:59:59.999999-05:30", "23:59:59.999999-05:30"),
    ])
    func fixedWidth(text: String, fixed: String) {
        #expect(TimestampFormat.fixedWidth(text) == fixed)
    }

    @Test func fixedStringsSortAsTimeWithinASecond() {
        let times = ["2024-11-24T15:33:01Z", "2024-11-24T15:33:01.5Z", "2024-11-24T15:33:01.05Z", "2024-11-24T15:33:02Z"]
        // As the record has them, a whole second sorts after its own fractions.
        #expect(
            times.sorted() == [
                "2024-11-24T15:33:01.05Z", "2024-11-24T15:33:01.5Z", "2024-11-24T15:33:01Z", "2024-11-24T15:33:02Z",
            ])
        let fixed = times.map(TimestampFormat.fixedWidth)
        #expect(fixed.sorted() == [
            "2024-11-24T15:33:01.000000Z", "2024-11-24T15:33:01.050000Z", "2024-11-24T15:33:01.500000Z",
            "2024-11-24T15:33:02.000000Z",
        ])
    }

    @Test func onlyTimeTypesAreReformattedAndSourceKeepsTheText() throws {
        let value = JSONValue.string("2024-11-24T15:33:01Z")
        for typeName in ["timestamp", "timestamptz", "time", "timetz"] {
            #expect(TimestampFormat.fixed.value(value, typeName: typeName) == .string("2024-11-24T15:33:01.000000Z"))
        }
        #expect(
            TimestampFormat.fixed.value(.array([value, .null]), typeName: "timestamptz[]")
                == .array([.string("2024-11-24T15:33:01.000000Z"), .null]))
        #expect(TimestampFormat.fixed.value(value, typeName: "text") == value)
        #expect(TimestampFormat.fixed.value(value, typeName: nil) == value)
        #expect(TimestampFormat.source.value(value, typeName: "timestamptz") == value)
    }
}

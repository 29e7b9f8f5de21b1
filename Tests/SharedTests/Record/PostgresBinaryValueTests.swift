import Testing

@testable import Shared

/// Binary forms built by hand, next to what `numeric_out`, `date_out` and friends print for them. The integration
/// test `SnapshotBinaryCopyTests` checks the same conversions against the server's text output on 20,000 rows.
@Suite("Binary column values to record JSON")
struct PostgresBinaryValueTests {
    @Test(arguments: [
        // ndigits, weight, sign, dscale, base-10000 digits
        ([2, 0, 0x0000, 2, 12, 5000], "12.50"),
        ([1, -1, 0x0000, 4, 1], "0.0001"),
        ([1, -2, 0x4000, 8, 1234], "-0.00001234"),
        ([1, 1, 0x0000, 0, 1], "10000"),
        ([3, 2, 0x0000, 0, 1, 0, 7], "100000007"),
        ([2, 0, 0x4000, 1, 1, 5000], "-1.5"),
        ([0, 0, 0x0000, 3], "0.000"),
        ([0, 0, 0x0000, 0], "0"),
        ([1, 0, 0x0000, 6, 42], "42.000000"),
        ([2, 0, 0x0000, 3, 3, 1415], "3.141"),  // dscale cuts the last base-10000 digit
        ([0, 0, 0xC000, 0], #""NaN""#),
        ([0, 0, 0xD000, 0], #""Infinity""#),
        ([0, 0, 0xF000, 0], #""-Infinity""#),
    ] as [([Int], String)])
    func numericPrintsAsNumericOut(words: [Int], expected: String) throws {
        #expect(try Self.json(Self.bigEndian16(words), as: "numeric") == expected)
    }

    @Test func malformedNumericsAreErrorsNamingTheBytes() {
        for (words, reason) in [
            ([1, 0, 0x0000, 0, 10000], "numeric digit 10000 is not below 10000"),
            ([2, 0, 0x0000, 0, 1], "2 digits and scale 0 in 10 bytes"),
            ([0, 0, 0x1234, 0], "unknown numeric sign 0x1234"),
        ] as [([Int], String)] {
            let error = #expect(throws: PostgresValueError.self) { try Self.json(Self.bigEndian16(words), as: "numeric") }
            #expect(error?.typeName == "numeric")
            #expect(error?.reason == reason)
            #expect(error?.text.hasPrefix(#"\x00"#) == true)
        }
    }

    @Test func integersBooleansAndUUIDs() throws {
        #expect(try Self.json([0x80, 0x00], as: "int2") == "-32768")
        #expect(try Self.json([0x7F, 0xFF, 0xFF, 0xFF], as: "int4") == "2147483647")
        #expect(try Self.json([0x80, 0, 0, 0, 0, 0, 0, 0], as: "int8") == "-9223372036854775808")
        #expect(try Self.json([0, 0, 0, 0, 0, 0, 0, 0], as: "int8") == "0")
        #expect(try Self.json([1], as: "bool") == "true")
        #expect(try Self.json([0], as: "bool") == "false")
        #expect(
            try Self.json(Array(0..<16), as: "uuid") == #""00010203-0405-0607-0809-0a0b0c0d0e0f""#)
        #expect(try Self.json([0x00, 0xFF, 0x10], as: "bytea") == #""AP8Q""#)
        #expect(try Self.json([1] + Array(#"{"a": 1}"#.utf8), as: "jsonb") == #"{"a":1}"#)
        #expect(try Self.json(Array("tab\t\"é".utf8), as: "varchar") == #""tab\t\"é""#)
        #expect(try Self.json(nil, as: "int4") == "null")
    }

    @Test func wrongLengthsAndVersionsAreErrors() {
        let cases: [([UInt8], String, String)] = [
            ([0, 1], "int4", "expected 4 bytes of binary value, got 2"),
            ([0, 0, 0, 0, 0, 0, 0], "timestamptz", "expected 8 bytes of binary value, got 7"),
            ([2, 0x7B, 0x7D], "jsonb", "unknown jsonb binary version"),
            ([0xFF], "text", "invalid UTF-8 at byte 0"),
        ]
        for (bytes, typeName, reason) in cases {
            let error = #expect(throws: PostgresValueError.self) { try Self.json(bytes, as: typeName) }
            #expect(error?.reason == reason, "\(typeName)")
        }
    }

    @Test func datesAroundTheEpochsAndTheirEnds() throws {
        #expect(try Self.json(Self.bigEndian(Int64(0), bytes: 4), as: "date") == #""2000-01-01""#)
        #expect(try Self.json(Self.bigEndian(Int64(-1), bytes: 4), as: "date") == #""1999-12-31""#)
        #expect(try Self.json(Self.bigEndian(Int64(-10957), bytes: 4), as: "date") == #""1970-01-01""#)
        // Year 0 is 1 BC.
        #expect(try Self.json(Self.bigEndian(Int64(-730_120), bytes: 4), as: "date") == #""0001-12-31 BC""#)
        #expect(try Self.json(Self.bigEndian(Int64(Int32.max), bytes: 4), as: "date") == #""infinity""#)
        #expect(try Self.json(Self.bigEndian(Int64(Int32.min), bytes: 4), as: "date") == #""-infinity""#)
    }

    @Test func timestampsKeepMicrosecondsWithoutTrailingZeros() throws {
        #expect(try Self.json(Self.bigEndian(-1, bytes: 8), as: "timestamp") == #""1999-12-31T23:59:59.999999""#)
        #expect(try Self.json(Self.bigEndian(500_000, bytes: 8), as: "timestamptz") == #""2000-01-01T00:00:00.5Z""#)
        #expect(try Self.json(Self.bigEndian(86_400_000_010, bytes: 8), as: "timestamptz") == #""2000-01-02T00:00:00.00001Z""#)
        #expect(try Self.json(Self.bigEndian(Int64.max, bytes: 8), as: "timestamptz") == #""infinity""#)
        #expect(try Self.json(Self.bigEndian(Int64.min, bytes: 8), as: "timestamp") == #""-infinity""#)
        // 1 BC, as PostgreSQL prints it in UTC.
        let oneBC = (-730_120 * 86_400 + 3_723) * 1_000_000 + 7
        #expect(try Self.json(Self.bigEndian(Int64(oneBC), bytes: 8), as: "timestamptz") == #""0001-12-31 01:02:03.000007+00 BC""#)
        #expect(try Self.json(Self.bigEndian(Int64(oneBC), bytes: 8), as: "timestamp") == #""0001-12-31 01:02:03.000007 BC""#)
    }

    // MARK: Helpers

    static func json(_ bytes: [UInt8]?, as typeName: String) throws(PostgresValueError) -> String {
        let type = PostgresColumnType(name: typeName)
        var sink = ByteSink(capacity: 64)
        guard let bytes else {
            try PostgresBinaryValue.writeJSON(nil, as: PostgresBinaryValue.Kind(type), type: type, to: &sink)
            return String(decoding: sink.bytes, as: UTF8.self)
        }
        try bytes.withUnsafeBytesTyped { value throws(PostgresValueError) in
            try PostgresBinaryValue.writeJSON(value, as: PostgresBinaryValue.Kind(type), type: type, to: &sink)
        }
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    static func bigEndian16(_ words: [Int]) -> [UInt8] {
        words.flatMap { bigEndian(Int64($0), bytes: 2) }
    }

    static func bigEndian(_ value: Int64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}

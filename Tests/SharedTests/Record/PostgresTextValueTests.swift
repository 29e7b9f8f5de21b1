import Testing

@testable import Shared

/// One conversion case: a type name (`int4`, or `int4[]` for an array), the text PostgreSQL prints, the expected value.
struct PostgresCase: Sendable, CustomTestStringConvertible {
    let type: PostgresColumnType
    let text: String
    let expected: JSONValue

    init(_ typeName: String, _ text: String, _ expected: JSONValue) {
        let isArray = typeName.hasSuffix("[]")
        self.type = PostgresColumnType(name: isArray ? String(typeName.dropLast(2)) : typeName, isArray: isArray)
        self.text = text
        self.expected = expected
    }

    var testDescription: String { "\(type.recordTypeName) \(text)" }
}

private func decodingError(_ text: String, as typeName: String) -> String? {
    let isArray = typeName.hasSuffix("[]")
    let type = PostgresColumnType(name: isArray ? String(typeName.dropLast(2)) : typeName, isArray: isArray)
    do {
        _ = try PostgresTextValue.decode(text, as: type)
        return nil
    } catch {
        return error.description
    }
}

@Suite struct PostgresColumnTypeTests {
    @Test(
        arguments: [
            ("int2", .integer), ("int4", .integer), ("int8", .integer), ("oid", .integer), ("numeric", .numeric),
            ("float4", .float), ("float8", .float), ("bool", .boolean), ("date", .date), ("timestamp", .timestamp),
            ("timestamptz", .timestamptz), ("json", .json), ("jsonb", .json), ("bytea", .bytea), ("text", .text),
            ("varchar", .text), ("bpchar", .text), ("uuid", .text), ("inet", .text), ("interval", .text),
            ("money", .text), ("time", .text), ("timetz", .text), ("xml", .text), ("mood", .text),
        ] as [(String, PostgresColumnType.Category)])
    func derivesTheCategoryFromTheTypeName(name: String, category: PostgresColumnType.Category) {
        #expect(PostgresColumnType(name: name).category == category)
        #expect(PostgresColumnType(name: name, isArray: true).category == category)
    }

    @Test func namesArraysWithBrackets() {
        #expect(PostgresColumnType(name: "int4").recordTypeName == "int4")
        #expect(PostgresColumnType(name: "int4", isArray: true).recordTypeName == "int4[]")
        #expect(PostgresColumnType(name: "mood", isArray: true, category: .text).recordTypeName == "mood[]")
    }
}

@Suite struct PostgresScalarTests {
    @Test(arguments: [
        PostgresCase("int4", "42", .number("42")),
        PostgresCase("int4", "-2147483648", .number("-2147483648")),
        PostgresCase("int2", "0", .number("0")),
        PostgresCase("int8", "-9223372036854775808", .number("-9223372036854775808")),
        PostgresCase("oid", "4294967295", .number("4294967295")),
        PostgresCase(
            "numeric", "123456789012345678901234567890.123456789012345678901234567890",
            .number("123456789012345678901234567890.123456789012345678901234567890")),
        PostgresCase("numeric", "10.00", .number("10.00")),
        PostgresCase("numeric", "-0.000001", .number("-0.000001")),
        PostgresCase("numeric", "0", .number("0")),
        PostgresCase("numeric", "NaN", .string("NaN")),
        PostgresCase("numeric", "Infinity", .string("Infinity")),
        PostgresCase("numeric", "-Infinity", .string("-Infinity")),
        PostgresCase("float8", "1e+100", .number("1e+100")),
        PostgresCase("float8", "-0", .number("-0")),
        PostgresCase("float8", "1.5e-07", .number("1.5e-07")),
        PostgresCase("float8", "0.1", .number("0.1")),
        PostgresCase("float8", "1.7976931348623157e+308", .number("1.7976931348623157e+308")),
        PostgresCase("float8", "5e-324", .number("5e-324")),
        PostgresCase("float8", "NaN", .string("NaN")),
        PostgresCase("float8", "Infinity", .string("Infinity")),
        PostgresCase("float4", "-Infinity", .string("-Infinity")),
        PostgresCase("float4", "3.4028235e+38", .number("3.4028235e+38")),
        PostgresCase("bool", "t", .bool(true)),
        PostgresCase("bool", "f", .bool(false)),
    ])
    func convertsNumbersAndBooleans(testCase: PostgresCase) throws {
        #expect(try PostgresTextValue.decode(testCase.text, as: testCase.type) == testCase.expected)
    }

    @Test(arguments: [
        PostgresCase("date", "2024-01-02", "2024-01-02"),
        PostgresCase("date", "0001-01-01", "0001-01-01"),
        PostgresCase("date", "0044-03-15 BC", "0044-03-15 BC"),
        PostgresCase("date", "5874897-12-31", "5874897-12-31"),
        PostgresCase("date", "infinity", "infinity"),
        PostgresCase("date", "-infinity", "-infinity"),
        PostgresCase("timestamp", "2024-01-02 03:04:05.123456", "2024-01-02T03:04:05.123456"),
        PostgresCase("timestamp", "2024-01-02 03:04:05", "2024-01-02T03:04:05"),
        PostgresCase("timestamp", "2024-01-02 03:04:05.5", "2024-01-02T03:04:05.5"),
        PostgresCase("timestamp", "294276-12-31 23:59:59.999999", "294276-12-31T23:59:59.999999"),
        PostgresCase("timestamp", "01000-01-02 03:04:05", "1000-01-02T03:04:05"),
        PostgresCase("timestamp", "0044-03-15 12:00:00 BC", "0044-03-15 12:00:00 BC"),
        PostgresCase("timestamp", "infinity", "infinity"),
        PostgresCase("timestamp", "-infinity", "-infinity"),
        PostgresCase("timestamptz", "2024-01-02 03:04:05.123456+00", "2024-01-02T03:04:05.123456Z"),
        PostgresCase("timestamptz", "2024-01-02 03:04:05+00", "2024-01-02T03:04:05Z"),
        PostgresCase("timestamptz", "2024-01-02 03:04:05-00", "2024-01-02T03:04:05Z"),
        PostgresCase("timestamptz", "2024-01-02 03:04:05+05:30", "2024-01-01T21:34:05Z"),
        PostgresCase("timestamptz", "2024-01-02 03:04:05.5+05:30", "2024-01-01T21:34:05.5Z"),
        PostgresCase("timestamptz", "2024-12-31 20:00:00-08", "2025-01-01T04:00:00Z"),
        PostgresCase("timestamptz", "2024-03-01 01:00:00+02", "2024-02-29T23:00:00Z"),
        PostgresCase("timestamptz", "2023-03-01 01:00:00+02", "2023-02-28T23:00:00Z"),
        PostgresCase("timestamptz", "2024-01-01 00:30:00+01", "2023-12-31T23:30:00Z"),
        PostgresCase("timestamptz", "1900-01-01 00:00:00+00:53:28", "1899-12-31T23:06:32Z"),
        PostgresCase("timestamptz", "9999-12-31 23:00:00-02", "10000-01-01T01:00:00Z"),
        PostgresCase("timestamptz", "0001-01-01 00:00:00+00 BC", "0001-01-01 00:00:00+00 BC"),
        PostgresCase("timestamptz", "infinity", "infinity"),
        PostgresCase("timestamptz", "-infinity", "-infinity"),
    ])
    func convertsDatesAndTimestamps(testCase: PostgresCase) throws {
        #expect(try PostgresTextValue.decode(testCase.text, as: testCase.type) == testCase.expected)
    }

    @Test(arguments: [
        PostgresCase("bytea", #"\x"#, ""),
        PostgresCase("bytea", #"\x00"#, "AA=="),
        PostgresCase("bytea", #"\x0a0b"#, "Cgs="),
        PostgresCase("bytea", #"\x616263"#, "YWJj"),
        PostgresCase("bytea", #"\xdeadbeef"#, "3q2+7w=="),
        PostgresCase("bytea", #"\xDEADBEEF"#, "3q2+7w=="),
        PostgresCase("bytea", #"\xfbff"#, "+/8="),
        PostgresCase("text", "hello", "hello"),
        PostgresCase("text", "", ""),
        PostgresCase("text", "NULL", "NULL"),
        PostgresCase("text", "e\u{301} 😀 \"\\ \u{1}", "e\u{301} 😀 \"\\ \u{1}"),
        PostgresCase("varchar", "  padded  ", "  padded  "),
        PostgresCase("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        PostgresCase("interval", "1 year 2 mons 3 days 04:05:06.7", "1 year 2 mons 3 days 04:05:06.7"),
        PostgresCase("money", "$1,234.50", "$1,234.50"),
        PostgresCase("inet", "192.168.0.1/24", "192.168.0.1/24"),
        PostgresCase("time", "03:04:05.123456", "03:04:05.123456"),
        PostgresCase("mood", "happy", "happy"),
    ])
    func convertsByteaAndTextLikeTypes(testCase: PostgresCase) throws {
        #expect(try PostgresTextValue.decode(testCase.text, as: testCase.type) == testCase.expected)
    }

    @Test func embedsJSONKeepingNumbersAndOrderExactly() throws {
        let text = #"{"b": [1, 2.50, null, 1e400], "a": {"nested": "\u00e9"}, "big": 123456789012345678901234567890}"#
        let expected: JSONValue = [
            "b": [1, .number("2.50"), .null, .number("1e400")],
            "a": ["nested": "é"],
            "big": .number("123456789012345678901234567890"),
        ]
        #expect(try PostgresTextValue.decode(text, as: PostgresColumnType(name: "jsonb")) == expected)
        #expect(try PostgresTextValue.decode(#""str""#, as: PostgresColumnType(name: "json")) == "str")
        #expect(try PostgresTextValue.decode("null", as: PostgresColumnType(name: "json")) == .null)
    }

    @Test func sqlNullIsJSONNullForEveryType() throws {
        for name in ["int4", "numeric", "text", "bytea", "jsonb", "timestamptz", "bool"] {
            for isArray in [false, true] {
                let type = PostgresColumnType(name: name, isArray: isArray)
                #expect(try PostgresTextValue.decode(String?.none, as: type) == .null)
                #expect(try PostgresTextValue.decode(UnsafeRawBufferPointer?.none, as: type) == .null)
            }
        }
    }

    @Test func decodesFromRawBytes() throws {
        let bytes: [UInt8] = Array("-17".utf8)
        let value = try bytes.withUnsafeBytes { try PostgresTextValue.decode($0, as: PostgresColumnType(name: "int8")) }
        #expect(value == .number("-17"))
    }

    @Test func rejectsInvalidUTF8InText() throws {
        let bytes: [UInt8] = [0x61, 0xC3, 0x28]
        let error = try bytes.withUnsafeBytes { buffer in
            try #require(throws: PostgresValueError.self) {
                try PostgresTextValue.decode(buffer, as: PostgresColumnType(name: "text"))
            }
        }
        #expect(error.reason == "invalid UTF-8 at byte 1")
        #expect(error.text == "a\u{FFFD}(")
    }

    @Test(
        arguments: [
            ("abc", "int4", #"invalid int4 value "abc": not an integer"#),
            ("1.5", "int8", #"invalid int8 value "1.5": not an integer"#),
            ("", "int4", #"invalid int4 value "": not an integer"#),
            (" 1", "int2", #"invalid int2 value " 1": not an integer"#),
            ("1e", "numeric", #"invalid numeric value "1e": not a decimal number"#),
            ("nan", "numeric", #"invalid numeric value "nan": not a decimal number"#),
            ("inf", "float8", #"invalid float8 value "inf": not a decimal number"#),
            (".5", "float4", #"invalid float4 value ".5": not a decimal number"#),
            ("true", "bool", #"invalid bool value "true": expected t or f"#),
            ("", "bool", #"invalid bool value "": expected t or f"#),
            ("2024-13-01", "date", #"invalid date value "2024-13-01": not a date (YYYY-MM-DD)"#),
            ("2024-01-02x", "date", #"invalid date value "2024-01-02x": not a date (YYYY-MM-DD)"#),
            ("24-01-02", "date", #"invalid date value "24-01-02": not a date (YYYY-MM-DD)"#),
            ("Infinity", "date", #"invalid date value "Infinity": not a date (YYYY-MM-DD)"#),
            (
                "2024-01-02T03:04:05", "timestamp",
                #"invalid timestamp value "2024-01-02T03:04:05": not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"#
            ),
            (
                "2024-01-02 03:04:05+00", "timestamp",
                #"invalid timestamp value "2024-01-02 03:04:05+00": not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"#
            ),
            (
                "2024-01-02 24:00:00", "timestamp",
                #"invalid timestamp value "2024-01-02 24:00:00": not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"#
            ),
            (
                "2024-01-02 03:04:05.", "timestamp",
                #"invalid timestamp value "2024-01-02 03:04:05.": not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"#
            ),
            (
                "2024-01-02 03:04:05", "timestamptz",
                #"invalid timestamptz value "2024-01-02 03:04:05": not a timestamptz (YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]])"#
            ),
            (
                "2024-01-02 03:04:05+16", "timestamptz",
                #"invalid timestamptz value "2024-01-02 03:04:05+16": not a timestamptz (YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]])"#
            ),
            (
                "2024-01-02 03:04:05+05:", "timestamptz",
                #"invalid timestamptz value "2024-01-02 03:04:05+05:": not a timestamptz (YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]])"#
            ),
            ("{bad", "jsonb", #"invalid jsonb value "{bad": JSON syntax error at byte 1: unexpected 'b' (0x62)"#),
            ("", "json", #"invalid json value "": JSON syntax error at byte 0: unexpected end of input"#),
            (
                "0a0b", "bytea",
                #"invalid bytea value "0a0b": not hex bytea output (\x followed by pairs of hex digits)"#
            ),
            (
                #"\x0"#, "bytea",
                #"invalid bytea value "\x0": not hex bytea output (\x followed by pairs of hex digits)"#
            ),
            (#"\x0g"#, "bytea", #"invalid bytea value "\x0g": invalid hex digit at byte 3"#),
            (#"\xg0"#, "bytea", #"invalid bytea value "\xg0": invalid hex digit at byte 2"#),
        ] as [(String, String, String)])
    func rejectsMalformedScalars(text: String, typeName: String, message: String) {
        #expect(decodingError(text, as: typeName) == message)
    }

    @Test func cutsLongOffendingTextInErrors() throws {
        let text = #"\x"# + String(repeating: "zz", count: 500)
        let error = try #require(throws: PostgresValueError.self) {
            try PostgresTextValue.decode(text, as: PostgresColumnType(name: "bytea"))
        }
        #expect(error.typeName == "bytea")
        #expect(error.text == String(text.prefix(PostgresValueError.maximumTextLength)) + "…")
        #expect(error.reason == "invalid hex digit at byte 2")
    }
}

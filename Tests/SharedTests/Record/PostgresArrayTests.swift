import Testing

@testable import Shared

@Suite struct PostgresArrayTests {
    @Test(arguments: [
        PostgresCase("int4[]", "{1,2,NULL,3}", [1, 2, .null, 3]),
        PostgresCase("int4[]", "{}", []),
        PostgresCase("int4[]", "{NULL}", [.null]),
        PostgresCase("int4[]", "{null,Null}", [.null, .null]),
        PostgresCase("int4[]", "{{1,2},{3,4}}", [[1, 2], [3, 4]]),
        PostgresCase("int4[]", "{{{1},{2}},{{3},{4}}}", [[[1], [2]], [[3], [4]]]),
        PostgresCase("int4[]", "[0:1]={1,2}", [1, 2]),
        PostgresCase("int4[]", "[-2:-1][1:2]={{1,2},{3,4}}", [[1, 2], [3, 4]]),
        PostgresCase("int4[]", " { 1 , 2 } ", [1, 2]),
        PostgresCase("int8[]", "{-9223372036854775808}", [.number("-9223372036854775808")]),
        PostgresCase(
            "numeric[]", "{1.50,NaN,-Infinity,123456789012345678901234567890.1}",
            [.number("1.50"), "NaN", "-Infinity", .number("123456789012345678901234567890.1")]),
        PostgresCase(
            "float8[]", "{1e+100,-0,NaN,1.5e-07}", [.number("1e+100"), .number("-0"), "NaN", .number("1.5e-07")]),
        PostgresCase("bool[]", "{t,f,NULL}", [true, false, .null]),
        PostgresCase(
            "text[]", #"{"a \"q\"","b\\c",plain,"NULL",NULL,"","{x,y}"," "}"#,
            [#"a "q""#, #"b\c"#, "plain", "NULL", .null, "", "{x,y}", " "]),
        PostgresCase("text[]", "{é,😀,e\u{301}}", ["é", "😀", "e\u{301}"]),
        PostgresCase("text[]", #"{{"a b",c},{d,"e}"}}"#, [["a b", "c"], ["d", "e}"]]),
        PostgresCase("varchar[]", #"{"\\","\""}"#, [#"\"#, #"""#]),
        PostgresCase("date[]", "{2024-01-02,infinity,\"0044-03-15 BC\"}", ["2024-01-02", "infinity", "0044-03-15 BC"]),
        PostgresCase(
            "timestamp[]", #"{"2024-01-02 03:04:05.123456","2024-01-02 03:04:05"}"#,
            ["2024-01-02T03:04:05.123456", "2024-01-02T03:04:05"]),
        PostgresCase(
            "timestamptz[]", #"{"2024-01-02 03:04:05+00","2024-01-02 03:04:05+05:30",NULL}"#,
            ["2024-01-02T03:04:05Z", "2024-01-01T21:34:05Z", .null]),
        PostgresCase(
            "jsonb[]", #"{"{\"a\": 1}","[1, 2.50]",NULL,"\"s\""}"#, [["a": 1], [1, .number("2.50")], .null, "s"]),
        PostgresCase("bytea[]", #"{"\\x0a0b",NULL,"\\x"}"#, ["Cgs=", .null, ""]),
        PostgresCase("uuid[]", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"]),
        PostgresCase("box[]", "{(1,1),(0,0);(2,2),(1,1)}", ["(1,1),(0,0)", "(2,2),(1,1)"]),
    ])
    func convertsArrays(testCase: PostgresCase) throws {
        #expect(try PostgresTextValue.decode(testCase.text, as: testCase.type) == testCase.expected)
    }

    @Test(
        arguments: [
            ("{1,x}", "int4[]", #"invalid int4[] value "{1,x}": element "x": not an integer"#),
            (
                #"{"2024-01-02"}"#, "timestamp[]",
                #"invalid timestamp[] value "{"2024-01-02"}": element "2024-01-02": not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])"#
            ),
            (
                "{\"x\\\"\"}", "bytea[]",
                #"invalid bytea[] value "{"x\""}": element "x"": not hex bytea output (\x followed by pairs of hex digits)"#
            ),
            ("{1,2", "int4[]", #"invalid int4[] value "{1,2": malformed array literal at byte 4: expected ',' or '}'"#),
            ("1,2", "int4[]", #"invalid int4[] value "1,2": malformed array literal at byte 0: expected '{'"#),
            ("", "int4[]", #"invalid int4[] value "": malformed array literal at byte 0: expected '{'"#),
            ("{1,,2}", "int4[]", #"invalid int4[] value "{1,,2}": malformed array literal at byte 3: empty element"#),
            ("{1,}", "int4[]", #"invalid int4[] value "{1,}": malformed array literal at byte 3: empty element"#),
            (
                "{1}x", "int4[]",
                #"invalid int4[] value "{1}x": malformed array literal at byte 3: unexpected data after the array"#
            ),
            ("{1", "int4[]", #"invalid int4[] value "{1": malformed array literal at byte 2: expected ',' or '}'"#),
            ("{", "int4[]", #"invalid int4[] value "{": malformed array literal at byte 1: unexpected end"#),
            (
                #"{"abc}"#, "text[]",
                #"invalid text[] value "{"abc}": malformed array literal at byte 1: unterminated quoted element"#
            ),
            (
                #"{a"b}"#, "text[]",
                #"invalid text[] value "{a"b}": malformed array literal at byte 2: unexpected '"' in an unquoted element"#
            ),
            (
                #"{a\b}"#, "text[]",
                #"invalid text[] value "{a\b}": malformed array literal at byte 2: unexpected '\' in an unquoted element"#
            ),
            (
                "[0:1]{1}", "int4[]",
                #"invalid int4[] value "[0:1]{1}": malformed array literal at byte 5: expected '=' after the dimension bounds"#
            ),
            (
                "[0]={1}", "int4[]",
                #"invalid int4[] value "[0]={1}": malformed array literal at byte 2: invalid dimension bounds"#
            ),
            (
                "{{{{{{{1}}}}}}}", "int4[]",
                #"invalid int4[] value "{{{{{{{1}}}}}}}": malformed array literal at byte 6: more than 6 dimensions"#
            ),
            (
                "{(1,1),(0,0);(2,2)", "box[]",
                #"invalid box[] value "{(1,1),(0,0);(2,2)": malformed array literal at byte 18: expected ';' or '}'"#
            ),
        ] as [(String, String, String)])
    func rejectsMalformedArrays(text: String, typeName: String, message: String) {
        #expect(decodingErrorMessage(text, as: typeName) == message)
    }

    @Test func acceptsSixDimensions() throws {
        let value = try PostgresTextValue.decode("{{{{{{1}}}}}}", as: PostgresColumnType(name: "int4", isArray: true))
        #expect(value == [[[[[[1]]]]]])
    }

    private func decodingErrorMessage(_ text: String, as typeName: String) -> String? {
        let type = PostgresColumnType(name: String(typeName.dropLast(2)), isArray: true)
        do {
            _ = try PostgresTextValue.decode(text, as: type)
            return nil
        } catch {
            return error.description
        }
    }
}

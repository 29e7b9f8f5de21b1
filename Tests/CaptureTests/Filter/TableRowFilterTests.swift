import NIOCore
import Shared
import Testing

@testable import Capture

/// The row filter's evaluation (the stream's side) with PostgreSQL's comparison semantics per type, the snapshot's
/// SQL for the same filter, and the errors that name the rule.
@Suite("Row filters: typing, evaluation, SQL")
struct TableRowFilterTests {
    static let columns: [(name: String, type: PostgresColumnType)] = [
        ("id", PostgresColumnType(name: "int4")), ("amount", PostgresColumnType(name: "numeric")),
        ("name", PostgresColumnType(name: "text")), ("code", PostgresColumnType(name: "bpchar")),
        ("day", PostgresColumnType(name: "date")), ("at", PostgresColumnType(name: "timestamp")),
        ("atz", PostgresColumnType(name: "timestamptz")), ("ratio", PostgresColumnType(name: "float8")),
        ("flag", PostgresColumnType(name: "bool")), ("small", PostgresColumnType(name: "int2")),
    ]

    static func filter(_ column: String, _ conditions: FilterCondition...) throws -> TableRowFilter {
        guard let filter = try TableRowFilter([RowFilter(rule: "7", columns: [ColumnFilter(column: column, conditions: conditions)])], columns: columns)
        else { throw RowFilterError(rule: "7", problem: "no filter") }
        return filter
    }

    /// Evaluates with `value` in the filter's column (nil: NULL).
    static func matches(_ filter: TableRowFilter, _ value: String?) throws -> Bool? {
        try filter.matches { _ in value.map { .text($0) } ?? .null }
    }

    static func error(_ column: String, _ conditions: FilterCondition...) -> String? {
        do throws(RowFilterError) {
            _ = try TableRowFilter([RowFilter(rule: "7", columns: [ColumnFilter(column: column, conditions: conditions)])], columns: columns)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func everyOperatorOnIntegersWithSQLNullSemantics() throws {
        let cases: [(FilterCondition, [String?: Bool])] = [
            (.equal("5"), ["5": true, "6": false, nil: false]),
            (.notEqual("5"), ["5": false, "6": true, nil: false]),
            (.atMost("5"), ["4": true, "5": true, "6": false, "-7": true, nil: false]),
            (.atLeast("5"), ["4": false, "5": true, "6": true, nil: false]),
            (.between("5", "7"), ["4": false, "5": true, "7": true, "8": false, nil: false]),
            (.notBetween("5", "7"), ["4": true, "5": false, "6": false, "7": false, "8": true, nil: false]),
            (.isNull, ["5": false, nil: true]),
            (.isNotNull, ["5": true, nil: false]),
            // A BETWEEN whose start lies above its end takes nothing, as in SQL.
            (.between("7", "5"), ["6": false]),
        ]
        for (condition, expectations) in cases {
            let filter = try Self.filter("id", condition)
            for (value, expected) in expectations {
                #expect(try Self.matches(filter, value) == expected, "\(condition) on \(value ?? "NULL")")
            }
        }
    }

    @Test func numbersCompareExactlyAsPostgreSQLOrdersNumeric() throws {
        let filter = try Self.filter("amount", .atLeast("1.5"))
        for (value, expected) in [
            ("1.50", true), ("1.4999999999999999999999", false), ("100", true), ("-2", false), ("0.0", false),
            ("Infinity", true), ("-Infinity", false), ("NaN", true), ("1.5000000000000000000001", true),
        ] {
            #expect(try Self.matches(filter, value) == expected, "\(value)")
        }
        #expect(try Self.matches(try Self.filter("amount", .equal("-0")), "0.00") == true)
        #expect(try Self.matches(try Self.filter("amount", .equal("1e3")), "1000.000") == true)
        #expect(try Self.matches(try Self.filter("amount", .equal("NaN")), "NaN") == true)
        #expect(try Self.matches(try Self.filter("amount", .atMost("Infinity")), "NaN") == false)
        #expect(try Self.matches(try Self.filter("ratio", .atMost("0.1")), "0.1") == true)
        #expect(try Self.matches(try Self.filter("ratio", .atLeast("1e300")), "Infinity") == true)
        #expect(try Self.matches(try Self.filter("ratio", .atLeast("Infinity")), "NaN") == true)
    }

    @Test func textComparesByCodePointAndCharIgnoresTrailingBlanks() throws {
        // COLLATE "C": upper case sorts before lower case, and é (U+00E9) after z.
        let filter = try Self.filter("name", .between("B", "b"))
        for (value, expected) in [("B", true), ("Z", true), ("a", true), ("b", true), ("ba", false), ("A", false), ("é", false)] {
            #expect(try Self.matches(filter, value) == expected, "\(value)")
        }
        #expect(try Self.matches(try Self.filter("name", .equal("tech")), "tech ") == false)
        #expect(try Self.matches(try Self.filter("code", .equal("ab")), "ab   ") == true)
        #expect(try Self.matches(try Self.filter("code", .equal("ab  ")), "ab") == true)
    }

    @Test func datesAndTimestampsCompareAsTime() throws {
        let day = try Self.filter("day", .atLeast("2002-01-01"))
        for (value, expected) in [
            ("2002-01-01", true), ("2001-12-31", false), ("10000-01-01", true), ("2002-01-01 BC", false),
            ("infinity", true), ("-infinity", false),
        ] {
            #expect(try Self.matches(day, value) == expected, "\(value)")
        }
        let at = try Self.filter("at", .between("2024-01-01", "2024-01-01 10:00:00.5"))
        for (value, expected) in [
            ("2024-01-01 00:00:00", true), ("2023-12-31 23:59:59.999999", false), ("2024-01-01 10:00:00.5", true),
            ("2024-01-01 10:00:00.500001", false),
        ] {
            #expect(try Self.matches(at, value) == expected, "\(value)")
        }
        // timestamptz: a value without a zone is UTC (capture's sessions run in UTC); columns print in UTC.
        let atz = try Self.filter("atz", .atLeast("2024-01-01 10:00:00+02"))
        #expect(try Self.matches(atz, "2024-01-01 08:00:00+00") == true)
        #expect(try Self.matches(atz, "2024-01-01 07:59:59.999999+00") == false)
        #expect(try Self.matches(atz, "2024-01-01 09:00:00+01:30") == false)
        #expect(try Self.matches(try Self.filter("atz", .equal("2024-01-01T08:00:00Z")), "2024-01-01 08:00:00+00") == true)
        // 1 BC is a leap year (astronomical year 0).
        #expect(try Self.matches(try Self.filter("day", .atMost("0001-01-01")), "0001-02-29 BC") == true)
    }

    @Test func rulesAreOredColumnsAndedConditionsOred() throws {
        let first = RowFilter(
            rule: "1",
            columns: [
                ColumnFilter(column: "id", conditions: [.atMost("10"), .atLeast("100")]),
                ColumnFilter(column: "name", conditions: [.equal("tech")]),
            ])
        let second = RowFilter(rule: "2", columns: [ColumnFilter(column: "name", conditions: [.equal("ops")])])
        let filter = try #require(try TableRowFilter([first, second], columns: Self.columns))
        func row(_ id: String?, _ name: String?) throws -> Bool? {
            try filter.matches { index in
                switch Self.columns[index].name {
                case "id": id.map { .text($0) } ?? .unknown
                case "name": name.map { .text($0) } ?? .unknown
                default: .null
                }
            }
        }
        #expect(try row("5", "tech") == true)
        #expect(try row("500", "tech") == true)
        #expect(try row("50", "tech") == false)
        #expect(try row("50", "ops") == true)
        #expect(try row("50", "hr") == false)
        // Unknown columns: decided when the known ones settle it, else unknown.
        #expect(try row(nil, "hr") == false)
        #expect(try row("50", nil) == nil)
        #expect(try row(nil, "ops") == true)
        #expect(try row(nil, "tech") == nil)
        #expect(
            filter.sqlCondition
                == #"(("id" <= E'10'::pg_catalog."int4" OR "id" >= E'100'::pg_catalog."int4") AND ("name" COLLATE "C" = E'tech'::pg_catalog."text")) OR (("name" COLLATE "C" = E'ops'::pg_catalog."text"))"#
        )
    }

    @Test func valuesAreQuotedSoTheyCannotLeaveTheirLiteral() throws {
        let filter = try Self.filter("name", .equal(#"x'; DROP TABLE t; --\"#), .isNull, .notBetween("a", "b"))
        #expect(
            filter.sqlCondition
                == #"("name" COLLATE "C" = E'x''; DROP TABLE t; --\\'::pg_catalog."text" OR "name" IS NULL OR "name" COLLATE "C" NOT BETWEEN E'a'::pg_catalog."text" AND E'b'::pg_catalog."text")"#
        )
        #expect(try Self.matches(filter, #"x'; DROP TABLE t; --\"#) == true)
    }

    @Test func badFiltersNameTheRule() {
        #expect(
            Self.error("Id", .equal("1"))
                == "table mappings, rule-id 7: filters column 'Id', which the table does not have (names are case-sensitive)")
        #expect(
            Self.error("flag", .equal("true"))
                == "table mappings, rule-id 7: filters column 'flag' of type bool; filters support int2, int4, int8, numeric, float4, float8, text, varchar, char, date, timestamp, timestamptz")
        #expect(
            Self.error("id", .equal("1.5"))
                == "table mappings, rule-id 7: '1.5' is not a value of column 'id' (int4); write an integer within the type's range")
        #expect(Self.error("small", .atMost("40000"))?.contains("'40000' is not a value of column 'small' (int2)") == true)
        #expect(
            Self.error("day", .atLeast("01/02/2002"))
                == "table mappings, rule-id 7: '01/02/2002' is not a value of column 'day' (date); write dates as YYYY-MM-DD")
        #expect(Self.error("day", .atLeast("2023-02-29")) != nil)
        #expect(Self.error("at", .atLeast("2024-01-01 10:00+02")) != nil)
        #expect(Self.error("at", .atLeast("2024-01-01 10:00:00.1234567")) != nil)
        #expect(Self.error("amount", .atLeast("12abc")) != nil)
        #expect(Self.error("amount", .between("1", "x")) != nil)
        #expect(Self.error("name", .equal("a\u{0}b")) != nil)
    }

    @Test func aValuePostgreSQLPrintedUnreadablyFailsNamingTheRule() throws {
        let filter = try Self.filter("day", .atLeast("2002-01-01"))
        #expect(throws: RowFilterError(rule: "7", problem: "column 'day' holds 'soon', unreadable as date")) {
            try Self.matches(filter, "soon")
        }
    }
}

@Suite("Snapshot segments from table-settings ranges")
struct SnapshotSegmentsTests {
    @Test func segmentsAreRowComparisonsAndTheLastTakesNulls() throws {
        let columns: [(name: String, type: PostgresColumnType)] = [
            ("a", PostgresColumnType(name: "int4")), ("b", PostgresColumnType(name: "text")),
        ]
        let segments = try SnapshotSegments.conditions(
            SnapshotRanges(rule: "3", columns: ["a", "b"], boundaries: [["10", "x"], ["20", "a"]]), columns: columns)
        let first = #"(ROW("a", "b" COLLATE "C") < ROW(E'10'::pg_catalog."int4", E'x'::pg_catalog."text"))"#
        let second = #"(ROW("a", "b" COLLATE "C") < ROW(E'20'::pg_catalog."int4", E'a'::pg_catalog."text"))"#
        #expect(segments == ["\(first) IS TRUE", "\(first) IS NOT TRUE AND \(second) IS TRUE", "\(second) IS NOT TRUE"])
    }

    @Test func boundariesMustIncreaseAndFitTheirColumns() {
        let columns: [(name: String, type: PostgresColumnType)] = [("a", PostgresColumnType(name: "int8"))]
        func problem(_ columnNames: [String], _ boundaries: [[String]]) -> String? {
            do throws(RowFilterError) {
                _ = try SnapshotSegments.conditions(
                    SnapshotRanges(rule: "3", columns: columnNames, boundaries: boundaries), columns: columns)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(problem(["a"], [["10"], ["20"]]) == nil)
        #expect(
            problem(["a"], [["20"], ["10"]])
                == #"table mappings, rule-id 3: boundaries must increase: ["10"] does not lie above the one before it"#)
        #expect(problem(["a"], [["10"], ["10"]]) != nil)
        #expect(problem(["a"], [["ten"]]) == "table mappings, rule-id 3: boundary value 'ten' is not a value of its column's type")
        #expect(problem(["b"], [["1"]]) == "table mappings, rule-id 3: ranges name column 'b', which the table does not have")
    }
}

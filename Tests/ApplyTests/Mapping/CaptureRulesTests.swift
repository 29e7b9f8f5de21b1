import Shared
import Testing

@testable import Apply

/// What the selection and table-settings rules tell capture about a table: its row filters (the DMS guide's
/// "Using source filters" examples), its load order and its snapshot ranges.
@Suite("Capture rules from table mappings")
struct CaptureRulesTests {
    static func rules(_ entries: String...) -> String { #"{"rules": [\#(entries.joined(separator: ","))]}"# }

    static func include(_ id: String, table: String = "employee", extra: String = "") -> String {
        """
        {"rule-type": "selection", "rule-id": "\(id)", "rule-name": "\(id)", "rule-action": "include",
         "object-locator": {"schema-name": "test", "table-name": "\(table)"}\(extra)}
        """
    }

    @Test func theGuidesMultipleOperatorsAndMultipleFiltersExamples() throws {
        let mappings = try tableMappings(
            Self.rules(
                Self.include(
                    "1",
                    extra: """
                        , "filters": [{"filter-type": "source", "column-name": "empid", "filter-conditions": [
                            {"filter-operator": "lte", "value": "10"},
                            {"filter-operator": "between", "start-value": "50", "end-value": "75"},
                            {"filter-operator": "gte", "value": 100}]},
                          {"filter-type": "source", "column-name": "dept", "filter-conditions": [
                            {"filter-operator": "eq", "value": "tech"}, {"filter-operator": "null"}]},
                          {"filter-type": "source", "column-name": "x", "filter-conditions": [
                            {"filter-operator": "notbetween", "start-value": "1", "end-value": "2"}]},
                          {"filter-type": "source", "column-name": "y", "filter-conditions": [
                            {"filter-operator": "ste", "value": "2002-01-01"}]},
                          {"filter-type": "source", "column-name": "z", "filter-conditions": [
                            {"filter-operator": "noteq", "value": "50"}]},
                          {"filter-type": "source", "column-name": "w", "filter-conditions": [
                            {"filter-operator": "notnull"}]}]
                        """)))
        let rules = mappings.captureRules(schema: "test", table: "employee")
        #expect(
            rules.rowFilters == [
                RowFilter(
                    rule: "1",
                    columns: [
                        ColumnFilter(column: "empid", conditions: [.atMost("10"), .between("50", "75"), .atLeast("100")]),
                        ColumnFilter(column: "dept", conditions: [.equal("tech"), .isNull]),
                        ColumnFilter(column: "x", conditions: [.notBetween("1", "2")]),
                        ColumnFilter(column: "y", conditions: [.atMost("2002-01-01")]),
                        ColumnFilter(column: "z", conditions: [.notEqual("50")]),
                        ColumnFilter(column: "w", conditions: [.isNotNull]),
                    ])
            ])
        #expect(mappings.captureRules(schema: "test", table: "other").rowFilters.isEmpty)
    }

    @Test func rulesSelectingOneTableUnionTheirRows() throws {
        let filter = #", "filters": [{"filter-type": "source", "column-name": "a", "filter-conditions": [{"filter-operator": "eq", "value": "1"}]}]"#
        let two = try tableMappings(Self.rules(Self.include("1", extra: filter), Self.include("2", extra: filter)))
        #expect(two.captureRules(schema: "test", table: "employee").rowFilters.map(\.rule) == ["1", "2"])
        // A rule without filters takes every row, so the table is not filtered at all.
        let unfiltered = try tableMappings(Self.rules(Self.include("1", extra: filter), Self.include("2")))
        #expect(unfiltered.captureRules(schema: "test", table: "employee").rowFilters.isEmpty)
    }

    @Test func loadOrderIsTheHighestOfTheSelectingRules() throws {
        let mappings = try tableMappings(
            Self.rules(
                Self.include("1", table: "%", extra: #", "load-order": "1""#),
                Self.include("2", table: "loadfirst", extra: #", "load-order": 2"#)))
        #expect(mappings.captureRules(schema: "test", table: "loadfirst").loadOrder == 2)
        #expect(mappings.captureRules(schema: "test", table: "loadsecond").loadOrder == 1)
        #expect(try tableMappings(Self.rules(Self.include("1"))).captureRules(schema: "test", table: "employee").loadOrder == 0)
    }

    @Test func rangesOfTableSettings() throws {
        let mappings = try tableMappings(
            Self.rules(
                Self.include("1", table: "%"),
                """
                {"rule-type": "table-settings", "rule-id": "2", "rule-name": "2",
                 "object-locator": {"schema-name": "test", "table-name": "employee"},
                 "parallel-load": {"type": "ranges", "columns": ["COL1", "COL2"], "boundaries": [["10", 30], ["20", "20"]]},
                 "lob-settings": {"mode": "unlimited"}}
                """))
        #expect(
            mappings.captureRules(schema: "test", table: "employee").snapshotRanges
                == SnapshotRanges(rule: "2", columns: ["COL1", "COL2"], boundaries: [["10", "30"], ["20", "20"]]))
        #expect(mappings.captureRules(schema: "test", table: "other").snapshotRanges == nil)
        // A per-table LOB mode would override the task's for this table in DMS; apply has one for all tables.
        #expect(mappings.warnings == [
            "rule-id 2: lob-settings mode 'unlimited' is ignored: large values are handled as the task settings say "
                + "for every table (TargetMetadata.LimitedSizeLobMode and LobMaxSize; without them, written whole)"
        ])
        // `type: none` (DMS: no parallel load for the table) leaves the snapshot to Ferry's own key ranges.
        let none = try tableMappings(
            Self.rules(
                Self.include("1"),
                #"{"rule-type": "table-settings", "rule-id": "2", "object-locator": {"schema-name": "test", "table-name": "employee"}, "parallel-load": {"type": "none"}}"#))
        #expect(none.captureRules(schema: "test", table: "employee").snapshotRanges == nil)
        #expect(none.warnings.isEmpty)
        // Settings for a table no selection rule includes (a typo in the locator, an excluded table) do nothing.
        let unselected = try tableMappings(
            Self.rules(
                Self.include("1", table: "%"),
                #"{"rule-type": "selection", "rule-id": "2", "rule-action": "exclude", "object-locator": {"schema-name": "test", "table-name": "audit"}}"#,
                #"{"rule-type": "table-settings", "rule-id": "3", "object-locator": {"schema-name": "tset", "table-name": "employee"}, "parallel-load": {"type": "none"}}"#,
                #"{"rule-type": "table-settings", "rule-id": "4", "object-locator": {"schema-name": "test", "table-name": "audit"}, "parallel-load": {"type": "none"}}"#,
                #"{"rule-type": "table-settings", "rule-id": "5", "object-locator": {"schema-name": "test", "table-name": "employee"}, "parallel-load": {"type": "none"}}"#))
        #expect(unselected.warnings == [
            "rule-id 3: table-settings for tset.employee, which no selection rule includes: they have no effect "
                + "(check the object-locator's schema-name and table-name)",
            "rule-id 4: table-settings for test.audit, which no selection rule includes: they have no effect "
                + "(check the object-locator's schema-name and table-name)",
        ])
        let settings = #"{"rule-type": "table-settings", "rule-id": "ID", "object-locator": {"schema-name": "test", "table-name": "employee"}}"#
        #expect(
            parseError(Self.rules(Self.include("1"), settings, settings.replacing("\"ID\"", with: "\"3\"")))?.description
                == "table mappings, rule-id 3: rule-id ID already holds the table settings of test.employee")
    }
}

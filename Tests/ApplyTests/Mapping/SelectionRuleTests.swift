import Testing

@testable import Apply

@Suite("Selection rules and wildcards")
struct SelectionRuleTests {
    static func selection(_ rules: (id: String, action: String, schema: String, table: String)...) -> String {
        let entries = rules.map {
            """
            {"rule-type": "selection", "rule-id": "\($0.id)", "rule-name": "\($0.id)",
             "object-locator": {"schema-name": "\($0.schema)", "table-name": "\($0.table)"},
             "rule-action": "\($0.action)"}
            """
        }
        return #"{"rules": [\#(entries.joined(separator: ","))]}"#
    }

    @Test func percentMatchesAnyRun() throws {
        let mappings = try tableMappings(Self.selection(("1", "include", "Test", "%")))
        #expect(mappings.isSelected(schema: "Test", table: "Actor"))
        #expect(mappings.isSelected(schema: "Test", table: ""))
        #expect(!mappings.isSelected(schema: "test", table: "Actor"))  // names are case-sensitive
    }

    @Test func includeThenExcludeAsInTheDMSGuide() throws {
        // "Migrate some tables in a schema": everything in Test except tables starting with DMS.
        let mappings = try tableMappings(
            Self.selection(("1", "include", "Test", "%"), ("2", "exclude", "Test", "DMS%")))
        #expect(mappings.isSelected(schema: "Test", table: "Actor"))
        #expect(!mappings.isSelected(schema: "Test", table: "DMS_Log"))
        #expect(!mappings.isSelected(schema: "Test", table: "DMS"))
        #expect(mappings.isSelected(schema: "Test", table: "XDMS"))
    }

    @Test func anExcludeWinsWhereverItStands() throws {
        let mappings = try tableMappings(
            Self.selection(("1", "exclude", "dbo", "Audit%"), ("2", "include", "dbo", "%")))
        #expect(!mappings.isSelected(schema: "dbo", table: "AuditTrail"))
        #expect(mappings.isSelected(schema: "dbo", table: "Payments"))
    }

    @Test func underscoreMatchesExactlyOneCharacter() throws {
        let mappings = try tableMappings(Self.selection(("1", "include", "dbo", "Log_")))
        #expect(mappings.isSelected(schema: "dbo", table: "Log1"))
        #expect(mappings.isSelected(schema: "dbo", table: "Log_"))
        #expect(mappings.isSelected(schema: "dbo", table: "Logé"))
        #expect(!mappings.isSelected(schema: "dbo", table: "Log"))
        #expect(!mappings.isSelected(schema: "dbo", table: "Log12"))
    }

    @Test func bracketsMatchSetsRangesAndALiteralUnderscore() throws {
        let pattern = try NamePattern("[ab]_[0-2]%[_]x")
        #expect(pattern.matches("aZ0_x"))
        #expect(pattern.matches("bZ2yyy_x"))
        #expect(!pattern.matches("cZ0_x"))
        #expect(!pattern.matches("aZ3_x"))
        #expect(!pattern.matches("aZ0Yx"))
    }

    @Test func percentBacktracks() throws {
        let pattern = try NamePattern("%ab%ab")
        #expect(pattern.matches("abab"))
        #expect(pattern.matches("xxabyyabab"))
        #expect(!pattern.matches("xxabyyaba"))
        #expect(try NamePattern("%%").matches(""))
    }

    @Test func explicitSelectsTheLiteralName() throws {
        let mappings = try tableMappings(Self.selection(("1", "explicit", "NewCust", "Customer_1")))
        #expect(mappings.isSelected(schema: "NewCust", table: "Customer_1"))
        #expect(!mappings.isSelected(schema: "NewCust", table: "CustomerX1"))
    }

    @Test func ruleIdMayBeANumberAndHarmlessKeysAreIgnored() throws {
        let mappings = try tableMappings(
            """
            {"rules": [{"rule-type": "selection", "rule-id": 1, "rule-name": "1", "load-order": "2",
                        "object-locator": {"schema-name": "dbo", "table-name": "Payments", "table-type": "table"},
                        "rule-action": "include", "filters": []}]}
            """)
        #expect(mappings.isSelected(schema: "dbo", table: "Payments"))
        // `all` (DMS: tables and views) takes the tables: views have no changes to stream.
        #expect(
            try tableMappings(
                """
                {"rules": [{"rule-type": "selection", "rule-id": "1", "rule-action": "include",
                            "object-locator": {"schema-name": "dbo", "table-name": "%", "table-type": "all"}}]}
                """
            ).isSelected(schema: "dbo", table: "Payments"))
    }

    @Test func badPatternsAreRefused() {
        #expect(
            parseError(Self.selection(("1", "include", "dbo", "Log[ab")))?.description
                == "table mappings, rule-id 1: 'object-locator.table-name' 'Log[ab': '[' without a closing ']'")
        #expect(
            parseError(Self.selection(("1", "include", "dbo", "Log[z-a]")))?.description
                == "table mappings, rule-id 1: 'object-locator.table-name' 'Log[z-a]': range 'z-a' runs backwards")
        #expect(
            parseError(Self.selection(("1", "include", "db[]", "x")))?.description
                == "table mappings, rule-id 1: 'object-locator.schema-name' 'db[]': empty '[]'")
    }
}

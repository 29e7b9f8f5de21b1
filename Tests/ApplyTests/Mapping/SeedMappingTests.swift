import Shared
import Testing

@testable import Apply

/// The mappings of the DMS migration guide Ferry replaces (seed/000_2e914821831104c7.txt), verbatim.
@Suite("Seed guide mappings")
struct SeedMappingTests {
    static let example1Selection = """
        {
          "rules": [
            {
              "rule-type": "selection",
              "rule-id": "1",
              "rule-name": "include-integration-logs",
              "object-locator": {
                "schema-name": "dbo",
                "table-name": "IntegrationLogs"
              },
              "rule-action": "include"
            },
            {
              "rule-type": "selection",
              "rule-id": "2", 
              "rule-name": "include-payments",
              "object-locator": {
                "schema-name": "dbo",
                "table-name": "Payments"
              },
              "rule-action": "include"
            }
          ]
        }
        """

    static let example2ObjectMappingRule = """
            {
              "rule-type": "object-mapping",
              "rule-id": "2",
              "rule-name": "TransformIntegrationLogs",
              "rule-target": "table",
              "object-locator": {
                "schema-name": "public",
                "table-name": "IntegrationLogs"
              },
              "target-table-name": "LoanApp-IntegrationLogs-dev",
              "mapping-parameters": {
                "partition-key-name": "PK",
                "sort-key-name": "SK"
              }
            }
        """

    static let example2ObjectMapping = """
        {
          "rules": [
        \(example2ObjectMappingRule)
          ]
        }
        """

    @Test func example1SelectsBothTables() throws {
        let mappings = try tableMappings(Self.example1Selection)
        #expect(mappings.isSelected(schema: "dbo", table: "IntegrationLogs"))
        #expect(mappings.isSelected(schema: "dbo", table: "Payments"))
        #expect(!mappings.isSelected(schema: "dbo", table: "Customers"))
        #expect(!mappings.isSelected(schema: "public", table: "Payments"))
        let selected = mappings.selectedTables(from: [
            (schema: "dbo", table: "Customers"), (schema: "dbo", table: "Payments"),
            (schema: "dbo", table: "IntegrationLogs"),
        ])
        #expect(selected.map(\.table) == ["Payments", "IntegrationLogs"])
    }

    @Test func example2AloneHasNoSelectionRule() {
        #expect(
            parseError(Self.example2ObjectMapping)?.description
                == "table mappings: no selection rule includes any table")
    }

    @Test func bothExamplesInOneFileClashOnRuleId2() {
        let merged = Self.example1Selection.replacing(
            "\n  ]\n}", with: ",\n\(Self.example2ObjectMappingRule)\n  ]\n}")
        #expect(parseError(merged)?.description == "table mappings, rule-id 2: another rule has the same rule-id")
    }

    @Test func example2WithItsOwnRuleIdParsesAndSetsTheTargetTableAndKeys() throws {
        let rule = Self.example2ObjectMappingRule.replacing(#""rule-id": "2""#, with: #""rule-id": "3""#)
        let merged = Self.example1Selection.replacing("\n  ]\n}", with: ",\n\(rule)\n  ]\n}")
        let mappings = try tableMappings(merged)

        let mapper = try ItemMapper(mappings: mappings, schema: "public", table: "IntegrationLogs")
        #expect(mapper.targetTableName == "LoanApp-IntegrationLogs-dev")
        #expect(mapper.keyAttributeNames == ["PK", "SK"])
        // The rule names PK and SK but says nothing about filling them: rows without such columns have no key.
        let logRow = try row(#"{"LogId": 1, "LogTimestamp": "2024-11-24T15:33:20"}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: logRow, types: []) }
                == .missingKeyAttribute("PK"))

        // The guide's selection is on schema dbo, which the object mapping (schema public) does not cover:
        // those rows get DMS's default mapping, keyed by the primary key.
        let dboMapper = try ItemMapper(
            mappings: mappings, schema: "dbo", table: "IntegrationLogs", primaryKey: ["LogId"])
        #expect(dboMapper.targetTableName == "IntegrationLogs")
        #expect(dboMapper.keyAttributeNames == ["LogId"])
    }
}

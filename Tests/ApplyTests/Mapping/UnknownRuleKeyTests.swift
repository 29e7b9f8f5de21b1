import Testing

@testable import Apply

/// A key a rule's kind does not define is ignored, and said so at start-up with the nearest key it may mean.
@Suite("Unknown rule keys")
struct UnknownRuleKeyTests {
    @Test func aMisspelledKeyNamesTheRuleThePathAndTheNearestKey() throws {
        let mappings = try tableMappings(document(withRules: """
            {"rule-type": "object-mapping", "rule-id": "7", "rule-name": "7", "rule-action": "map-record-to-record",
             "object-locator": {"schema-name": "dbo", "table-name": "T"},
             "mapping-parameters": {"partition-key-name": "id", "sort-key": "at",
               "attribute-mappings": [{"target-attribute-name": "a", "attribute-type": "scalar", "value": "${x}",
                                       "attribute-subtype": "number"}]}}
            """))
        #expect(mappings.warnings == [
            "rule-id 7: 'mapping-parameters.sort-key' is not a key of this rule and is ignored; did you mean "
                + "'mapping-parameters.sort-key-name'?",
            "rule-id 7: 'mapping-parameters.attribute-mappings[0].attribute-subtype' is not a key of this rule and "
                + "is ignored; did you mean 'mapping-parameters.attribute-mappings[0].attribute-sub-type'?",
        ])
    }

    @Test func everyKindIsChecked() throws {
        let mappings = try tableMappings("""
            {"rules": [
              {"rule-type": "selection", "rule-id": "1", "rule-name": "1", "rule-action": "include",
               "object-locator": {"schema-name": "dbo", "tabel-name": "%", "table-name": "%"}, "filters": []},
              {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "add-column",
               "object-locator": {"schema-name": "dbo", "table-name": "T"}, "value": "c", "expresion": "1",
               "data-type": {"type": "string", "lenght": 5}},
              {"rule-type": "transformation", "rule-id": "3", "rule-target": "table", "rule-action": "rename",
               "object-locator": {"schema-name": "dbo", "table-name": "T"}, "value": "U", "zzz": 1},
              {"rule-type": "table-settings", "rule-id": "4", "rule-name": "4",
               "object-locator": {"schema-name": "dbo", "table-name": "T"},
               "parallel-load": {"type": "ranges", "columns": ["id"], "boundries": [[10]], "boundaries": [[10]]},
               "lob-settings": {"mode": "limited", "bulk-max-size": "64"}}
            ]}
            """)
        #expect(mappings.warnings == [
            "rule-id 1: 'object-locator.tabel-name' is not a key of this rule and is ignored; did you mean "
                + "'object-locator.table-name'?",
            "rule-id 2: 'expresion' is not a key of this rule and is ignored; did you mean 'expression'?",
            "rule-id 2: 'data-type.lenght' is not a key of this rule and is ignored; did you mean 'data-type.length'?",
            "rule-id 3: 'zzz' is not a key of this rule and is ignored",
            "rule-id 4: 'parallel-load.boundries' is not a key of this rule and is ignored; did you mean "
                + "'parallel-load.boundaries'?",
            "rule-id 4: lob-settings mode 'limited' is ignored: large values are handled as the task settings say "
                + "for every table (TargetMetadata.LimitedSizeLobMode and LobMaxSize; without them, written whole)",
        ])
    }

    @Test func theDMSGuidesDocumentsHaveNone() throws {
        let mappings = try tableMappings(document(withRules: """
            {"rule-type": "object-mapping", "rule-id": "2", "rule-name": "2", "rule-target": "table",
             "object-locator": {"schema-name": "dbo", "table-name": "T"}, "target-table-name": "U",
             "mapping-parameters": {"partition-key-name": "id", "sort-key-name": "at", "exclude-columns": ["x"],
               "attribute-mappings": [{"target-attribute-name": "a", "attribute-type": "scalar",
                                       "attribute-sub-type": "string", "value": "${x}"}]}}
            """,
            // The guide's table-settings keys, its MongoDB auto-segmentation ones included (unused on PostgreSQL).
            """
            {"rule-type": "table-settings", "rule-id": "3", "rule-name": "3",
             "object-locator": {"schema-name": "dbo", "table-name": "T"},
             "parallel-load": {"type": "none", "number-of-partitions": 4, "collection-count-from-metadata": "true",
                               "max-records-skip-per-page": 1000000, "batch-size": 50000},
             "lob-settings": {"mode": "none"}}
            """))
        #expect(mappings.warnings.isEmpty)
    }
}

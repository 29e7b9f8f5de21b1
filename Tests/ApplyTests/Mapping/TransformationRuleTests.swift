import Shared
import Testing

@testable import Apply

@Suite("Transformation rules")
struct TransformationRuleTests {
    /// A transformation rule on the columns of dbo.Actor.
    static func columnRule(_ id: Int, _ action: String, column: String, _ extra: String = "") -> String {
        """
        {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
         "object-locator": {"schema-name": "dbo", "table-name": "Actor", "column-name": "\(column)"},
         "rule-action": "\(action)"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    static func tableRule(_ id: Int, _ action: String, table: String = "Actor", _ extra: String = "") -> String {
        """
        {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "table",
         "object-locator": {"schema-name": "dbo", "table-name": "\(table)"},
         "rule-action": "\(action)"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    static func addColumnRule(_ id: Int, name: String, _ extra: String) -> String {
        """
        {"rule-type": "transformation", "rule-id": "\(id)", "rule-name": "\(id)", "rule-target": "column",
         "object-locator": {"schema-name": "dbo", "table-name": "Actor"},
         "rule-action": "add-column", "value": "\(name)"\(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    static let actor = """
        {"actor_id": 1, "first_name": "Ada", "last_name": "Lovelace", "col_a": 1, "col_b": 2, "MixedCase": "m",
         "amount": 3, "note": "n", "Pre_x": "x", "y_DMS": "y", "old_z": "z", "w_v1": "w"}
        """

    func mapper(_ rules: [String]) throws -> ItemMapper {
        let mappings = try tableMappings(document(withRules: rules.joined(separator: ",")))
        return try ItemMapper(mappings: mappings, schema: "dbo", table: "Actor", primaryKey: ["actor_id"])
    }

    /// The mapper for `rules` and its item for `actor`.
    func item(_ rules: String...) throws -> (ItemMapper, DynamoDBItem) {
        let mapper = try mapper(rules)
        return (mapper, try mapper.item(for: row(Self.actor), types: []))
    }

    @Test func everyColumnRenamingAction() throws {
        let (_, item) = try item(
            Self.columnRule(2, "rename", column: "first_name", #""value": "fname""#),
            Self.columnRule(3, "convert-uppercase", column: "last_name"),
            Self.columnRule(4, "convert-lowercase", column: "MixedCase"),
            Self.columnRule(5, "add-prefix", column: "amount", #""value": "p_""#),
            Self.columnRule(6, "add-suffix", column: "note", #""value": "_s""#),
            Self.columnRule(7, "remove-prefix", column: "%", #""value": "Pre_""#),
            Self.columnRule(8, "remove-suffix", column: "%", #""value": "_DMS""#),
            Self.columnRule(9, "replace-prefix", column: "%", #""value": "new_", "old-value": "old_""#),
            Self.columnRule(10, "replace-suffix", column: "%", #""value": "_v2", "old-value": "_v1""#),
            Self.columnRule(11, "remove-column", column: "col%"))
        #expect(
            item == [
                "actor_id": .n("1"), "fname": .s("Ada"), "LAST_NAME": .s("Lovelace"), "mixedcase": .s("m"),
                "p_amount": .n("3"), "note_s": .s("n"), "x": .s("x"), "y": .s("y"), "new_z": .s("z"),
                "w_v2": .s("w"),
            ])
    }

    @Test func rulesApplyInFileOrderAndMatchSourceNames() throws {
        let (_, item) = try item(
            Self.columnRule(2, "convert-uppercase", column: "%"),
            Self.columnRule(3, "add-prefix", column: "first_name", #""value": "P_""#),
            Self.columnRule(4, "rename", column: "last_name", #""value": "surname""#),
            Self.columnRule(5, "include-column", column: "%_id"),
            Self.columnRule(6, "include-column", column: "%_name"))
        #expect(item == ["ACTOR_ID": .n("1"), "P_FIRST_NAME": .s("Ada"), "surname": .s("Lovelace")])
    }

    @Test func includeColumnKeepsOnlyTheNamedColumns() throws {
        let (_, item) = try item(
            Self.columnRule(2, "include-column", column: "actor_id"),
            Self.columnRule(3, "include-column", column: "first_name"))
        #expect(item == ["actor_id": .n("1"), "first_name": .s("Ada")])
    }

    @Test func tableRulesNameTheTargetTable() throws {
        let (renamed, _) = try item(Self.tableRule(2, "rename", #""value": "Actors""#))
        #expect(renamed.targetTableName == "Actors")
        let (composed, _) = try item(
            Self.tableRule(2, "convert-uppercase"), Self.tableRule(3, "add-prefix", #""value": "DMS_""#),
            Self.tableRule(4, "add-suffix", table: "Other", #""value": "_never""#))
        #expect(composed.targetTableName == "DMS_ACTOR")
        let (trimmed, _) = try item(
            Self.tableRule(2, "add-suffix", #""value": "_DMS""#),
            Self.tableRule(3, "remove-suffix", #""value": "_DMS""#),
            Self.tableRule(4, "convert-lowercase"))
        #expect(trimmed.targetTableName == "actor")
    }

    @Test func schemaRulesAreAcceptedAndChangeNothing() throws {
        let (mapper, _) = try item(
            """
            {"rule-type": "transformation", "rule-id": "2", "rule-name": "2", "rule-action": "rename",
             "rule-target": "schema", "object-locator": {"schema-name": "dbo"}, "value": "Test1"}
            """)
        #expect(mapper.targetTableName == "Actor")
    }

    @Test func renamedPrimaryKeyColumnNamesTheKeyAttribute() throws {
        let (mapper, item) = try item(Self.columnRule(2, "rename", column: "actor_id", #""value": "ActorId""#))
        #expect(mapper.keyAttributeNames == ["ActorId"])
        #expect(item["ActorId"] == .n("1"))
        #expect(try mapper.key(for: row(#"{"actor_id": 1}"#), types: []) == ["ActorId": .n("1")])
    }

    @Test func removingThePrimaryKeyColumnFailsAtStartUp() {
        #expect(throws: MappingConfigurationError.keyColumnRemoved("actor_id")) {
            try mapper([Self.columnRule(2, "remove-column", column: "actor_id")])
        }
    }

    @Test func addColumnEvaluatesLiteralsReferencesAndConcatenation() throws {
        let (_, item) = try item(
            Self.columnRule(2, "include-column", column: "actor_id"),
            Self.addColumnRule(
                3, name: "FULL_NAME",
                #""expression": "$first_name||' '||$last_name", "data-type": {"type": "string", "length": 50}"#),
            Self.addColumnRule(4, name: "source", #""expression": "'it''s web'""#),
            Self.addColumnRule(5, name: "version", #""expression": "2", "data-type": {"type": "int4"}"#),
            Self.addColumnRule(6, name: "amount_copy", #""expression": "$amount""#),
            Self.addColumnRule(7, name: "amount_text", #""expression": "$amount", "data-type": {"type": "string"}"#),
            Self.addColumnRule(8, name: "active", #""expression": "1", "data-type": {"type": "boolean"}"#),
            Self.addColumnRule(9, name: "last_updated", #""data-type": {"type": "datetime", "precision": 6}"#))
        #expect(
            item == [
                "actor_id": .n("1"), "FULL_NAME": .s("Ada Lovelace"), "source": .s("it's web"), "version": .n("2"),
                "amount_copy": .n("3"), "amount_text": .s("3"), "active": .bool(true),
            ])
    }

    @Test func addColumnOverANullColumnIsNullAndAbsentColumnIsAnError() throws {
        let mappings = try tableMappings(
            document(withRules: Self.addColumnRule(2, name: "FULL_NAME", #""expression": "$first||$last""#)))
        let mapper = try ItemMapper(mappings: mappings, schema: "dbo", table: "Actor", primaryKey: ["id"])
        let nullLast = try row(#"{"id": 1, "first": "A", "last": null}"#)
        #expect(try mapper.item(for: nullLast, types: []) == ["id": .n("1"), "first": .s("A")])
        let withoutLast = try row(#"{"id": 1, "first": "A"}"#)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: withoutLast, types: []) }
                == .missingColumn(ruleId: "2", column: "last"))
    }

    @Test func addedColumnsCanFeedTemplates() throws {
        let mappings = try tableMappings(
            document(
                withRules: Self.addColumnRule(2, name: "kind", #""expression": "'ACTOR'""#),
                """
                {"rule-type": "object-mapping", "rule-id": "3", "rule-action": "map-record-to-record",
                 "object-locator": {"schema-name": "dbo", "table-name": "Actor"},
                 "mapping-parameters": {"partition-key-name": "PK", "exclude-columns": ["kind"],
                   "attribute-mappings": [{"target-attribute-name": "PK", "attribute-type": "scalar",
                                           "value": "${kind}#${actor_id}"}]}}
                """))
        let mapper = try ItemMapper(mappings: mappings, schema: "dbo", table: "Actor")
        #expect(
            try mapper.item(for: row(#"{"actor_id": 1}"#), types: []) == ["PK": .s("ACTOR#1"), "actor_id": .n("1")])
        #expect(try mapper.key(for: row(#"{"actor_id": 1}"#), types: []) == ["PK": .s("ACTOR#1")])
    }

    @Test func twoColumnsOntoOneAttributeIsAMappingError() throws {
        let mapper = try mapper([Self.columnRule(2, "rename", column: "col_a", #""value": "col_b""#)])
        let actor = try row(Self.actor)
        #expect(
            mappingError { () throws(MappingError) in try mapper.item(for: actor, types: []) }
                == .duplicateAttribute("col_b"))
    }
}

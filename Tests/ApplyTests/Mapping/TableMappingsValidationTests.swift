import Testing

@testable import Apply

/// Every way a rule can be wrong fails at start-up, naming the rule-id and the fault.
@Suite("Table mappings validation")
struct TableMappingsValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let message: String
        var testDescription: String { message }
    }

    static func objectMapping(_ parameters: String, action: String = "map-record-to-record") -> String {
        """
        {"rule-type": "object-mapping", "rule-id": "2", "rule-action": "\(action)",
         "object-locator": {"schema-name": "dbo", "table-name": "T"}, "mapping-parameters": {\(parameters)}}
        """
    }

    static func attributeMapping(_ fields: String) -> String {
        objectMapping(
            #""partition-key-name": "PK", "attribute-mappings": [{"target-attribute-name": "PK", \#(fields)}]"#)
    }

    static func transformation(_ target: String, _ action: String, _ extra: String = "") -> String {
        """
        {"rule-type": "transformation", "rule-id": "2", "rule-target": "\(target)", "rule-action": "\(action)",
         "object-locator": {"schema-name": "dbo", "table-name": "T", "column-name": "c"}\(extra)}
        """
    }

    static func filtered(_ filter: String, action: String = "include") -> String {
        """
        {"rule-type": "selection", "rule-id": "2", "rule-action": "\(action)",
         "object-locator": {"schema-name": "dbo", "table-name": "T"}, "filters": [\(filter)]}
        """
    }

    static func condition(_ fields: String) -> String {
        #"{"filter-type": "source", "column-name": "id", "filter-conditions": [{\#(fields)}]}"#
    }

    static func tableSettings(_ parallelLoad: String, table: String = "T") -> String {
        """
        {"rule-type": "table-settings", "rule-id": "2", "object-locator": {"schema-name": "dbo", "table-name": "\(table)"},
         "parallel-load": {\(parallelLoad)}}
        """
    }

    static func addColumn(_ extra: String) -> String {
        """
        {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "add-column",
         "object-locator": {"schema-name": "dbo", "table-name": "T"}, "value": "added"\(extra)}
        """
    }

    static let ruleCases: [Case] = [
        // Any rule
        Case(rule: #"{"rule-id": "2"}"#, message: "rule-id 2: 'rule-type' is missing"),
        Case(
            rule: #"{"rule-id": "2", "rule-type": "mapping"}"#,
            message: "rule-id 2: unknown rule-type 'mapping' (expected selection, transformation, table-settings or object-mapping)"),
        Case(
            rule: #"{"rule-id": "2", "rule-type": "post-processing"}"#,
            message: "rule-id 2: rule-type 'post-processing' is not supported"),
        Case(
            rule: #"{"rule-id": true, "rule-type": "selection"}"#,
            message: "rule #2 (no rule-id): rule-id must be a non-empty string or a number"),
        Case(rule: #"{"rule-type": "selection"}"#, message: "rule #2 (no rule-id): rule-id is missing"),
        Case(rule: "42", message: "rule #2 (no rule-id): a rule must be an object"),

        // Selection
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "includ", "object-locator": {}}"#,
            message:
                "rule-id 2: unknown rule-action 'includ' for a selection rule (expected include, exclude or explicit)"),
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include"}"#,
            message: "rule-id 2: 'object-locator' is missing"),
        Case(
            rule:
                #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include", "object-locator": {"schema-name": "dbo"}}"#,
            message: "rule-id 2: 'object-locator.table-name' is missing"),
        Case(
            rule:
                #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include", "object-locator": {"schema-name": 1, "table-name": "T"}}"#,
            message: "rule-id 2: 'object-locator.schema-name' must be a string"),
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include", "object-locator": "dbo.T"}"#,
            message: "rule-id 2: 'object-locator' must be an object"),
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "exclude", "object-locator": {"schema-name": "dbo", "table-name": "%", "table-type": "view"}}"#,
            message: "rule-id 2: 'object-locator.table-type' 'view' is not supported: ferry captures tables only (a "
                + "view's changes are not in the WAL); select the tables behind the view, or drop the rule if it only "
                + "excludes views"),
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include", "object-locator": {"schema-name": "dbo", "table-name": "T", "table-type": "tables"}}"#,
            message: "rule-id 2: unknown 'object-locator.table-type' 'tables' (expected table, view or all)"),
        Case(
            rule: filtered(#"{"filter-type": "source", "column-name": "id"}"#),
            message: "rule-id 2: 'filters[0].filter-conditions' must list at least one condition"),
        Case(
            rule: filtered(#"{"filter-type": "target", "column-name": "id", "filter-conditions": []}"#),
            message: "rule-id 2: 'filters[0].filter-type' is 'target'; the only filter type is 'source'"),
        Case(
            rule: filtered(#"{"filter-type": "source", "filter-conditions": [{"filter-operator": "null"}]}"#),
            message: "rule-id 2: 'filters[0].column-name' is missing"),
        Case(
            rule: filtered(condition(#""filter-operator": "like", "value": "a%""#)),
            message:
                "rule-id 2: 'filters[0].filter-conditions[0].filter-operator' 'like' is not one of eq, noteq, ste, lte, gte, between, notbetween, null, notnull"),
        Case(
            rule: filtered(condition(#""filter-operator": "eq""#)),
            message: "rule-id 2: 'filters[0].filter-conditions[0].value' is missing"),
        Case(
            rule: filtered(condition(#""filter-operator": "between", "start-value": "1""#)),
            message: "rule-id 2: 'filters[0].filter-conditions[0].end-value' is missing"),
        Case(
            rule: filtered(condition(#""filter-operator": "gte", "value": true"#)),
            message: "rule-id 2: 'filters[0].filter-conditions[0].value' must be a string"),
        Case(
            rule: filtered(
                #"{"filter-type": "source", "column-name": "id", "filter-conditions": [{"filter-operator": "noteq", "value": "1"}, {"filter-operator": "notnull"}]}"#
            ),
            message:
                "rule-id 2: the filter on column 'id' has more than one negative condition (noteq, notbetween, notnull); DMS allows one per filter — AND them as separate filters instead"
        ),
        Case(
            rule: filtered(condition(#""filter-operator": "eq", "value": "1""#), action: "exclude"),
            message: "rule-id 2: 'filters' apply only to include rules, not to exclude"),
        Case(
            rule: #"{"rule-type": "selection", "rule-id": "2", "rule-action": "include", "load-order": "first", "object-locator": {"schema-name": "dbo", "table-name": "T"}}"#,
            message: "rule-id 2: 'load-order' must be an integer, not 'first'"),

        // Table settings
        Case(
            rule: tableSettings(#""type": "partitions-auto""#),
            message:
                "rule-id 2: parallel-load type 'partitions-auto' is not supported for a PostgreSQL source (DMS supports only 'ranges' there); a partitioned table is read through its root. Use type 'ranges' with columns and boundaries to split its snapshot"
        ),
        Case(
            rule: tableSettings(#""type": "ranges", "columns": [], "boundaries": [[1]]"#),
            message: "rule-id 2: 'parallel-load.columns' must name 1 to 10 columns"),
        Case(
            rule: tableSettings(#""type": "ranges", "columns": ["a", "b"], "boundaries": [[1]]"#),
            message: "rule-id 2: 'parallel-load.boundaries[0]' must be an array of 2 value(s), one per column"),
        Case(
            rule: tableSettings(#""type": "ranges", "columns": ["a"]"#),
            message: "rule-id 2: 'parallel-load.boundaries' must list at least one boundary"),
        Case(
            rule: tableSettings(#""type": "ranges", "columns": ["a"], "boundaries": [[1]]"#, table: "T%"),
            message: "rule-id 2: a table-settings rule needs an exact schema and table name, without '%'"),

        // Transformation
        Case(
            rule: #"{"rule-type": "transformation", "rule-id": "2", "rule-action": "rename", "object-locator": {}}"#,
            message: "rule-id 2: 'rule-target' is missing"),
        Case(
            rule: transformation("view", "rename"),
            message: "rule-id 2: unknown rule-target 'view' (expected schema, table or column)"),
        Case(
            rule: transformation("table-tablespace", "rename"),
            message: "rule-id 2: rule-target 'table-tablespace' has no meaning for a DynamoDB target"),
        Case(
            rule: transformation("column", "explode"),
            message: "rule-id 2: unknown rule-action 'explode' for rule-target column"),
        Case(rule: transformation("column", "rename"), message: "rule-id 2: 'value' is missing"),
        Case(
            rule: transformation("column", "rename", #", "value": """#), message: "rule-id 2: 'value' must not be empty"
        ),
        Case(
            rule: transformation("table", "add-prefix", #", "value": null"#), message: "rule-id 2: 'value' is missing"),
        Case(
            rule: transformation("column", "replace-prefix", #", "value": "new_""#),
            message: "rule-id 2: 'old-value' is missing"),
        Case(
            rule: transformation(
                "table", "define-primary-key", #", "primary-key-def": {"name": "pk", "columns": ["c"]}"#),
            message: "rule-id 2: define-primary-key is not supported: keys come from the object-mapping "
                + "partition-key-name and sort-key-name, or from the DynamoDB table's key schema"),
        Case(
            rule: transformation("column", "add-before-image-columns", #", "before-image-def": {"column-prefix": "BI_"}"#),
            message: "rule-id 2: rule-action 'add-before-image-columns' is not supported: PostgreSQL's logical "
                + "decoding sends a row's old values only when its key changes or under REPLICA IDENTITY FULL, so "
                + "most before-image columns would be empty"),
        Case(
            rule: transformation("column", "data-masking-hash-mask"),
            message: "rule-id 2: rule-action 'data-masking-hash-mask' is not supported: leave the column out with "
                + "remove-column, or add a masked copy with an add-column expression such as '***' || substr($col, -4)"),
        Case(
            rule: transformation("column", "change-data-type", #", "data-type": {"type": "bytes"}"#),
            message: "rule-id 2: 'data-type.type' 'bytes' is not supported for change-data-type"),
        Case(
            rule: """
                {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "remove-column",
                 "object-locator": {"schema-name": "dbo", "table-name": "T"}}
                """,
            message: "rule-id 2: 'object-locator.column-name' is missing"),
        Case(
            rule: """
                {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "convert-lowercase",
                 "object-locator": {"schema-name": "dbo", "table-name": "T", "column-name": "%", "data-type": "int8"}}
                """,
            message: "rule-id 2: 'object-locator.data-type' (matching columns by type) is not supported"),
        Case(
            rule: """
                {"rule-type": "transformation", "rule-id": "2", "rule-target": "column", "rule-action": "add-column",
                 "object-locator": {"schema-name": "dbo", "table-name": "T"}}
                """,
            message: "rule-id 2: 'value' is missing"),
        Case(
            rule: addColumn(#", "expression": "UPPER($c) COLLATE GERMAN""#),
            message: #"rule-id 2: expression "UPPER($c) COLLATE GERMAN" does not parse: at offset 18: no such "#
                + "collation sequence: GERMAN (known: BINARY, NOCASE, RTRIM)"),
        Case(
            rule: addColumn(#", "expression": "$AR_H_USER""#),
            message: #"rule-id 2: expression "$AR_H_USER" does not parse: at offset 0: $AR_H_USER is not "#
                + "available: PostgreSQL's logical decoding (pgoutput) does not say which user made a change"),
        Case(
            rule: addColumn(#", "expression": "$AR_H_OPERATON""#),
            message: #"rule-id 2: expression "$AR_H_OPERATON" does not parse: at offset 0: unknown header "#
                + "variable $AR_H_OPERATON (known: $AR_H_OPERATION, $AR_H_TIMESTAMP, $AR_H_COMMIT_TIMESTAMP, "
                + "$AR_H_CHANGE_SEQ, $AR_H_STREAM_POSITION, $AR_H_TRANSACTION_ID, $AR_M_SOURCE_SCHEMA, "
                + "$AR_M_SOURCE_TABLE_NAME)"),
        Case(
            rule: addColumn(#", "expression": "'open""#),
            message: #"rule-id 2: expression "'open" does not parse: at offset 0: unterminated string literal"#),
        Case(
            rule: addColumn(#", "expression": "$a ||""#),
            message: #"rule-id 2: expression "$a ||" does not parse: at offset 5: expected an operand, found the "#
                + "end of the expression"),
        Case(
            rule: addColumn(#", "expression": "substr($a)""#),
            message: #"rule-id 2: expression "substr($a)" does not parse: at offset 0: wrong number of arguments "#
                + "to function substr(): 1"),
        Case(
            rule: addColumn(#", "expression": "operation_indicator('D', 'U')""#),
            message: #"rule-id 2: expression "operation_indicator('D', 'U')" does not parse: at offset 0: "#
                + "wrong number of arguments to function operation_indicator(): 2"),
        Case(
            rule: addColumn(#", "expression": "frobnicate($a)""#),
            message: #"rule-id 2: expression "frobnicate($a)" does not parse: at offset 0: unknown function "#
                + "frobnicate()"),
        Case(
            rule: addColumn(#", "data-type": {"type": "blob"}"#),
            message: "rule-id 2: 'data-type.type' 'blob' is not supported for add-column"),

        // Object mapping
        Case(
            rule: objectMapping("", action: "map-record-to-table"),
            message: "rule-id 2: unknown rule-action 'map-record-to-table' for an object-mapping rule "
                + "(expected map-record-to-record or map-record-to-document)"),
        Case(
            rule: #"{"rule-type": "object-mapping", "rule-id": "2", "rule-action": "map-record-to-record"}"#,
            message: "rule-id 2: 'object-locator' is missing"),
        Case(
            rule: objectMapping(#""partition-key-name": "PK", "sort-key-name": "PK""#),
            message: "rule-id 2: partition-key-name and sort-key-name are both 'PK'"),
        Case(
            rule: objectMapping(#""sort-key-name": "SK""#),
            message: "rule-id 2: sort-key-name needs a partition-key-name"),
        Case(
            rule: objectMapping(
                #""partition-key-name": "PK", "condition-expression": {"expression": "attribute_not_exists(:PK)"}"#),
            message: "rule-id 2: 'mapping-parameters.condition-expression.expression' uses :PK, which the rule does "
                + "not define"),
        Case(
            rule: objectMapping(#""exclude-columns": "FirstName""#),
            message: "rule-id 2: 'mapping-parameters.exclude-columns' must be an array"),
        Case(
            rule: objectMapping(#""exclude-columns": [1]"#),
            message: "rule-id 2: 'mapping-parameters.exclude-columns' must be an array of strings"),
        Case(
            rule: objectMapping(#""attribute-mappings": ["PK"]"#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0]' must be an object"),
        Case(
            rule: objectMapping(#""attribute-mappings": [{"attribute-type": "scalar", "value": "x"}]"#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].target-attribute-name' is missing"),
        Case(
            rule: attributeMapping(#""attribute-type": "list", "value": "x""#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].attribute-type' 'list' is not supported "
                + "(expected scalar or document)"),
        Case(
            rule: attributeMapping(#""value": "x""#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].attribute-type' is missing"),
        Case(
            rule: attributeMapping(#""attribute-type": "scalar", "attribute-sub-type": "boolean", "value": "x""#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].attribute-sub-type' 'boolean' is not "
                + "supported for scalar (expected string or number)"),
        Case(
            rule: attributeMapping(#""attribute-type": "document", "attribute-sub-type": "json", "value": {}"#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].attribute-sub-type' 'json' is not "
                + "supported for document (expected dynamodb-map)"),
        Case(
            rule: attributeMapping(#""attribute-type": "scalar", "value": "APP#${ApplicationId""#),
            message: #"rule-id 2: attribute 'PK': '${' without a closing '}' in "APP#${ApplicationId""#),
        Case(
            rule: attributeMapping(#""attribute-type": "scalar", "value": "APP#${}""#),
            message: #"rule-id 2: attribute 'PK': empty '${}' in "APP#${}""#),
        Case(
            rule: attributeMapping(#""attribute-type": "scalar", "value": {"S": "x"}"#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].value' of a scalar must be a template string"
        ),
        Case(
            rule: attributeMapping(#""attribute-type": "document", "value": "{\"a\": 1}""#),
            message: "rule-id 2: 'mapping-parameters.attribute-mappings[0].value' of a document must be a DynamoDB "
                + #"JSON map ({"M": {…}})"#),
        Case(
            rule: attributeMapping(#""attribute-type": "document", "value": {"M": {"Tags": {"SS": ["a"]}}}"#),
            message: "rule-id 2: attribute 'PK': mapping-parameters.attribute-mappings[0].value.M.Tags.SS: "
                + "unsupported here (document templates take S, N, B, BOOL, NULL, M and L)"),
        Case(
            rule: attributeMapping(
                #""attribute-type": "document", "value": {"M": {"Home": {"M": {"Phone": {"S": "${HomePhone"}}}}}"#),
            message: #"rule-id 2: attribute 'PK': '${' without a closing '}' in "${HomePhone""#),
        Case(
            rule: attributeMapping(#""attribute-type": "document", "value": {"M": {"Flag": {"BOOL": "yes"}}}"#),
            message: "rule-id 2: attribute 'PK': mapping-parameters.attribute-mappings[0].value.M.Flag.BOOL: "
                + "BOOL: value of the wrong JSON type"),
        Case(
            rule: objectMapping(
                """
                "attribute-mappings": [
                  {"target-attribute-name": "A", "attribute-type": "scalar", "value": "x"},
                  {"target-attribute-name": "A", "attribute-type": "scalar", "value": "y"}]
                """),
            message: "rule-id 2: attribute-mappings name 'A' twice"),
    ]

    @Test(arguments: ruleCases)
    func invalidRuleIsRefusedNamingIt(_ invalid: Case) {
        #expect(parseError(document(withRules: invalid.rule))?.description == "table mappings, " + invalid.message)
    }

    @Test func documentLevelFaults() {
        #expect(
            parseError(#"{"rules": [}"#)?.description
                == "table mappings: not valid JSON: JSON syntax error at byte 11: unexpected '}' (0x7D)")
        #expect(
            parseError(#"{"rule": []}"#)?.description == #"table mappings: expected an object with a "rules" array"#)
        #expect(parseError(#"{"rules": []}"#)?.description == "table mappings: no selection rule includes any table")
        #expect(
            parseError(
                #"{"rules": [{"rule-type": "selection", "rule-id": "1", "rule-action": "exclude", "object-locator": {"schema-name": "%", "table-name": "%"}}]}"#
            )?.description == "table mappings: no selection rule includes any table")
    }

    @Test func duplicateRuleIdsAreRefusedEvenAcrossRuleTypesAndSpellings() {
        let numericDuplicate = #"""
            {"rules": [
              {"rule-type": "selection", "rule-id": "7", "rule-action": "include",
               "object-locator": {"schema-name": "dbo", "table-name": "%"}},
              {"rule-type": "transformation", "rule-id": 7, "rule-target": "table", "rule-action": "convert-lowercase",
               "object-locator": {"schema-name": "dbo", "table-name": "%"}}
            ]}
            """#
        #expect(
            parseError(numericDuplicate)?.description == "table mappings, rule-id 7: another rule has the same rule-id")
    }
}

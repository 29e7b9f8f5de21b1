import Shared
import Testing

@testable import Apply

/// Parses table mappings from JSON text.
func tableMappings(_ json: String) throws -> TableMappings {
    try TableMappings.parse(Array(json.utf8))
}

/// The error a table-mappings document is refused with, or nil if it parses.
func parseError(_ json: String) -> TableMappingsError? {
    do throws(TableMappingsError) {
        _ = try TableMappings.parse(Array(json.utf8))
        return nil
    } catch {
        return error
    }
}

/// A `{"rules": [...]}` document: an include-everything selection rule (rule-id "1") plus `rules`.
func document(withRules rules: String...) -> String {
    """
    {"rules": [
      {"rule-type": "selection", "rule-id": "1", "rule-name": "all",
       "object-locator": {"schema-name": "%", "table-name": "%"}, "rule-action": "include"}
      \(rules.map { ", " + $0 }.joined())
    ]}
    """
}

/// A row (a record's `after`) from JSON text.
func row(_ json: String) throws -> JSONObject {
    guard case .object(let object) = try JSONParser.parse(json) else {
        Issue.record("not a JSON object: \(json)")
        return JSONObject()
    }
    return object
}

/// Column types as a record lists them.
func types(_ pairs: KeyValuePairs<String, String>) -> [ColumnType] {
    pairs.map { ColumnType(column: $0.key, typeName: $0.value) }
}

/// The mapping error a call throws, or nil.
func mappingError(_ body: () throws(MappingError) -> DynamoDBItem) -> MappingError? {
    do throws(MappingError) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

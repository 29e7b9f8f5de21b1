/// Why one row could not become a DynamoDB item. The row, not the configuration, is at fault: apply
/// dead-letters the record and carries on.
public enum MappingError: Error, Hashable, CustomStringConvertible {
    /// A template or add-column expression of rule `ruleId` names a column the row does not have, or a key
    /// attribute's template names a column that is NULL.
    case missingColumn(ruleId: String, column: String)
    /// The row yields no value for this key attribute (its column is NULL, absent or excluded).
    case missingKeyAttribute(String)
    /// The value for a key attribute is not one DynamoDB accepts for it.
    case invalidKeyValue(attribute: String, reason: String)
    /// A filled template or added column of rule `ruleId` does not read as the type it must have.
    case invalidValue(ruleId: String, attribute: String, value: String, expected: String)
    /// Rule `ruleId`'s add-column expression fails for this row as SQLite would (e.g. `abs()` of the smallest
    /// integer, an ESCAPE of more than one character).
    case expressionFailed(ruleId: String, attribute: String, reason: String)
    /// A number beyond DynamoDB's N (38 significant digits, magnitude 1E-130 to 1E+126).
    case numberOutOfRange(column: String, value: String)
    /// A `bytea` column whose value is not base64.
    case invalidBytea(column: String)
    /// Two columns end up with the same attribute name.
    case duplicateAttribute(String)

    public var description: String {
        switch self {
        case .missingColumn(let ruleId, let column):
            "rule-id \(ruleId) needs column '\(column)', which the row lacks or holds NULL"
        case .missingKeyAttribute(let name):
            "no value for key attribute '\(name)'"
        case .invalidKeyValue(let attribute, let reason):
            "key attribute '\(attribute)': \(reason)"
        case .invalidValue(let ruleId, let attribute, let value, let expected):
            "rule-id \(ruleId): attribute '\(attribute)' is '\(value)', which is not \(expected)"
        case .expressionFailed(let ruleId, let attribute, let reason):
            "rule-id \(ruleId): the expression for attribute '\(attribute)' fails: \(reason)"
        case .numberOutOfRange(let column, let value):
            "column '\(column)': \(value) does not fit a DynamoDB number (at most 38 significant digits)"
        case .invalidBytea(let column):
            "column '\(column)': bytea value is not base64"
        case .duplicateAttribute(let name):
            "two columns map to attribute '\(name)'"
        }
    }
}

/// Why an `ItemMapper` cannot be built for a table: the table mappings and the DynamoDB table disagree.
/// Raised at start-up, before any record is read.
public enum MappingConfigurationError: Error, Hashable, CustomStringConvertible {
    /// More than one object-mapping rule matches the table.
    case ambiguousObjectMapping(table: String, ruleIds: [String])
    /// The object-mapping rule names keys other than the DynamoDB table's key schema.
    case keySchemaMismatch(ruleId: String, mapped: [String], tableKeys: [String])
    /// A primary-key column that would name a key attribute is removed by a transformation rule.
    case keyColumnRemoved(String)
    /// Nothing says which attributes form the key: no partition-key-name, key schema or primary key.
    case noKeyAttributes(table: String)
    /// An add-column rule flags operations (a soft delete) for a table mapped with map-record-to-document, whose
    /// added columns live inside `_doc`, which a soft delete cannot update attribute by attribute.
    case operationIndicatorInDocument(ruleId: String, table: String)

    public var description: String {
        switch self {
        case .ambiguousObjectMapping(let table, let ruleIds):
            "table \(table) matches several object-mapping rules (rule-ids \(ruleIds.joined(separator: ", ")))"
        case .keySchemaMismatch(let ruleId, let mapped, let tableKeys):
            "rule-id \(ruleId) maps key attributes \(mapped) but the DynamoDB table's key schema is \(tableKeys)"
        case .keyColumnRemoved(let column):
            "primary-key column '\(column)' is removed by a transformation rule"
        case .noKeyAttributes(let table):
            "no key attributes for table \(table): give a partition-key-name, the table's key schema or its primary key"
        case .operationIndicatorInDocument(let ruleId, let table):
            "rule-id \(ruleId) uses operation_indicator() for table \(table), which is mapped with "
                + "map-record-to-document: use map-record-to-record for soft deletes"
        }
    }
}

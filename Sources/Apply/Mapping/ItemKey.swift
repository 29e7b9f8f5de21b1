/// Which attributes form a table's item key, and what their values must be.
struct ItemKey: Sendable {
    struct Attribute: Sendable {
        let name: String
        /// From the DynamoDB table's key schema, when known.
        let type: KeyAttribute.ValueType?
    }

    /// Partition key, then sort key if any.
    let attributes: [Attribute]

    /// The key named by, in this order of precedence: the DynamoDB table's key schema (which must then
    /// agree with the object mapping), the object mapping's partition-key-name and sort-key-name, or the
    /// source table's primary key under its transformed names (DMS's default).
    init(
        objectMapping: ObjectMappingRule?, transformations: TableTransformations, primaryKey: [String],
        keySchema: [KeyAttribute]?, table: String
    ) throws(MappingConfigurationError) {
        let mappedNames = objectMapping?.partitionKeyName.map { [$0] + (objectMapping?.sortKeyName.map { [$0] } ?? []) }
        if let keySchema {
            if let objectMapping, let mappedNames, mappedNames != keySchema.map(\.name) {
                throw .keySchemaMismatch(
                    ruleId: objectMapping.id, mapped: mappedNames, tableKeys: keySchema.map(\.name))
            }
            attributes = keySchema.map { Attribute(name: $0.name, type: $0.type) }
        } else if let mappedNames {
            attributes = mappedNames.map { Attribute(name: $0, type: nil) }
        } else {
            var primaryKeyAttributes: [Attribute] = []
            for column in primaryKey {
                guard let name = transformations.attributeName(forColumn: column) else {
                    throw .keyColumnRemoved(column)
                }
                primaryKeyAttributes.append(Attribute(name: name, type: nil))
            }
            attributes = primaryKeyAttributes
        }
        guard !attributes.isEmpty else { throw .noKeyAttributes(table: table) }
    }

    func contains(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }

    /// A key attribute's value as DynamoDB will take it: a non-empty S, N or B, converted to the key schema's
    /// type where nothing is lost (a number to S, numeric text to N).
    static func value(_ value: DynamoDBAttributeValue, for attribute: Attribute) throws(MappingError)
        -> DynamoDBAttributeValue
    {
        func invalid(_ reason: String) -> MappingError { .invalidKeyValue(attribute: attribute.name, reason: reason) }
        switch (attribute.type, value) {
        case (_, .s("")), (_, .b([])):
            throw invalid("key values must not be empty")
        case (nil, .s), (nil, .n), (nil, .b), (.string?, .s), (.number?, .n), (.binary?, .b):
            return value
        case (.string?, .n(let digits)):
            return .s(digits)
        case (.number?, .s(let text)) where DynamoDBNumber(text)?.fitsDynamoDB == true:
            return .n(text)
        case (let type?, _):
            throw invalid("the table's key schema wants \(type.rawValue), the row gives \(value.typeDescriptor)")
        case (nil, _):
            throw invalid("keys must be S, N or B, the row gives \(value.typeDescriptor)")
        }
    }
}

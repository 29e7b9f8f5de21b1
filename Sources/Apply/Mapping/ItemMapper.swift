import Shared

/// Maps the rows of one source table to DynamoDB items, as the table mappings say: transformation rules
/// first (attribute names, removed and added columns), then the table's object-mapping rule, or DMS's
/// default when it has none (every column an attribute, the primary key as the item key).
///
/// - `map-record-to-record`: every column not in `exclude-columns` becomes an attribute, plus one per
///   `attribute-mappings` entry (which wins over a column of the same name).
/// - `map-record-to-document`: the same columns go into one flat map attribute, `_doc`, except the ones
///   that are key attributes, which stay at the top so the item has its key; attribute mappings stay at
///   the top too.
///
/// `exclude-columns`, `${column}` placeholders and add-column expressions name source columns (added
/// columns by their own name). SQL NULLs are left out. A template over a NULL column leaves its attribute
/// out, except for key attributes, where it is a `MappingError.missingColumn`.
/// A class: one per source table, shared by every record of it (a struct of this size was copied per record).
public final class ItemMapper: Sendable {
    /// The DynamoDB table the items go to.
    public let targetTableName: String
    /// The source table whose rows it maps, `schema.table`.
    public let sourceTableName: String
    /// The key attributes: partition key, then sort key if any.
    public var keyAttributeNames: [String] { key.attributes.map(\.name) }

    private let key: ItemKey
    private let timestampFormat: TimestampFormat
    private let transformations: TableTransformations
    private let objectMapping: ObjectMappingRule?
    /// The object mapping's attribute mappings by target name (the parser refuses duplicate names).
    private let attributeMappings: [String: AttributeMapping]

    /// - Parameters:
    ///   - primaryKey: the source table's primary-key columns; they name the key attributes when neither an
    ///     object-mapping `partition-key-name` nor `keySchema` does.
    ///   - keySchema: the DynamoDB table's key schema (from DescribeTable), partition key first. When given,
    ///     key values are converted to its types where that loses nothing (a number to S, numeric text to N).
    public init(
        mappings: TableMappings, schema: String, table: String, primaryKey: [String] = [],
        keySchema: [KeyAttribute]? = nil
    ) throws(MappingConfigurationError) {
        let sourceTableName = "\(schema).\(table)"
        let objectMappings = mappings.objectMappingRules.filter { $0.appliesTo(schema: schema, table: table) }
        guard objectMappings.count <= 1 else {
            throw .ambiguousObjectMapping(table: sourceTableName, ruleIds: objectMappings.map(\.id))
        }
        let objectMapping = objectMappings.first
        let transformations = TableTransformations(mappings.transformationRules, schema: schema, table: table)
        if objectMapping?.layout == .recordToDocument,
            let flag = transformations.addedColumns.first(where: { $0.column.expression?.flagsOperation == true })
        {
            throw .operationIndicatorInDocument(ruleId: flag.ruleId, table: sourceTableName)
        }
        self.key = try ItemKey(
            objectMapping: objectMapping, transformations: transformations, primaryKey: primaryKey,
            keySchema: keySchema, table: sourceTableName)
        self.sourceTableName = sourceTableName
        self.targetTableName =
            (objectMapping?.targetTableName ?? transformations.targetTableName) + mappings.targetTableSuffix
        self.transformations = transformations
        self.recordHeaderAttributes = Set(
            transformations.addedColumns.filter { $0.column.expression?.readsRecordHeader == true }.map(\.column.name))
        self.softDeletes = transformations.addedColumns.contains { $0.column.expression?.flagsOperation == true }
        self.timestampFormat = mappings.timestampFormat
        self.objectMapping = objectMapping
        self.attributeMappings = Dictionary(
            (objectMapping?.attributeMappings ?? []).map { ($0.targetName, $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The attributes of add-column rules that read the record's header (`$AR_H_…`, `operation_indicator()`):
    /// a row without its record (validate's) leaves them out.
    public let recordHeaderAttributes: Set<String>
    /// Whether the table's deletes keep their item, flagged: some add-column rule uses `operation_indicator()`.
    public let softDeletes: Bool
    /// The object mapping's `condition-expression`, which every write of the table must also meet.
    public var writeCondition: WriteCondition? { objectMapping?.condition }

    /// The attribute holding the row of a record-to-document mapping.
    public static let documentAttribute = "_doc"

    /// The item for a row (a record's `after`), `types` being the record's column types and `header` the
    /// record's (nil for a row read without one).
    public func item(for row: JSONObject, types: [ColumnType], header: RecordHeader? = nil) throws(MappingError)
        -> DynamoDBItem
    {
        let excluded = objectMapping?.excludedColumns ?? []
        let inDocument = objectMapping?.layout == .recordToDocument
        // One more: the version attribute a put item gets (growing a full dictionary rehashes it).
        var item = DynamoDBItem(minimumCapacity: row.count + attributeMappings.count + 1)
        var document = DynamoDBItem()

        func place(_ value: JSONValue, typeName: String?, source: String, as name: String) throws(MappingError) {
            // The isEmpty checks spare hashing every column name when there is nothing to look it up in.
            guard attributeMappings.isEmpty || !attributeMappings.keys.contains(name),
                let attribute = try ColumnValueConversion.attributeValue(
                    timestampFormat.value(value, typeName: typeName), typeName: typeName, column: source)
            else { return }
            let replaced =
                !inDocument || key.contains(name)
                ? item.updateValue(attribute, forKey: name) : document.updateValue(attribute, forKey: name)
            guard replaced == nil else { throw .duplicateAttribute(name) }
        }

        for (index, field) in row.fields.enumerated() where excluded.isEmpty || !excluded.contains(field.name) {
            guard let name = transformations.attributeName(forColumn: field.name) else { continue }
            let typed = try typedValue(
                field.value, column: field.name, typeName: Self.typeName(of: field.name, at: index, in: types))
            try place(typed.value, typeName: typed.typeName, source: field.name, as: name)
        }
        for added in transformations.addedColumns where !excluded.contains(added.column.name) {
            guard let value = try added.column.value(on: row, header: header, ruleId: added.ruleId) else { continue }
            try place(value, typeName: nil, source: added.column.name, as: added.column.name)
        }
        if inDocument { item[Self.documentAttribute] = .m(document) }

        if let objectMapping {
            for mapping in objectMapping.attributeMappings {
                item[mapping.targetName] = try attributeValue(
                    of: mapping, ruleId: objectMapping.id, row: row, types: types, header: header)
            }
        }
        for attribute in key.attributes {
            guard let value = item[attribute.name] else { throw .missingKeyAttribute(attribute.name) }
            item[attribute.name] = try ItemKey.value(value, for: attribute)
        }
        return item
    }

    /// Where `item(for:)` puts the values of `columns`: their attribute names (`_doc.<name>` inside the document
    /// of a record-to-document mapping). Columns the mapping leaves out, or whose name an attribute mapping takes,
    /// have none.
    public func attributePaths(ofColumns columns: [String]) -> [String] {
        let excluded = objectMapping?.excludedColumns ?? []
        let inDocument = objectMapping?.layout == .recordToDocument
        return columns.compactMap { column in
            guard !excluded.contains(column), let name = transformations.attributeName(forColumn: column),
                !attributeMappings.keys.contains(name)
            else { return nil }
            return inDocument && !key.contains(name) ? "\(Self.documentAttribute).\(name)" : name
        }
    }

    /// What a soft delete (`softDeletes`) changes on the item of a deleted row: the added columns computed
    /// from what the delete record carries (its header; its old row only with `REPLICA IDENTITY FULL`), set, or
    /// removed when NULL. Columns that need a value the record lacks keep what the item holds.
    public func softDelete(of row: JSONObject, types: [ColumnType], header: RecordHeader) throws(MappingError)
        -> (set: DynamoDBItem, remove: Set<String>)
    {
        let excluded = objectMapping?.excludedColumns ?? []
        var set = DynamoDBItem()
        var remove: Set<String> = []
        for added in transformations.addedColumns where !excluded.contains(added.column.name) {
            let value: JSONValue?
            do throws(MappingError) {
                value = try added.column.value(on: row, header: header, ruleId: added.ruleId)
            } catch {
                if case .missingColumn = error { continue }
                throw error
            }
            if let value, let attribute = try ColumnValueConversion.attributeValue(
                value, typeName: nil, column: added.column.name)
            {
                set[added.column.name] = attribute
            } else {
                remove.insert(added.column.name)
            }
        }
        return (set, remove)
    }

    /// Only the key attributes of a row: for deletes, whose record has just the key (or the old row).
    public func key(for row: JSONObject, types: [ColumnType]) throws(MappingError) -> DynamoDBItem {
        var keyItem = DynamoDBItem(minimumCapacity: key.attributes.count)
        for attribute in key.attributes {
            guard let value = try keySource(named: attribute.name, row: row, types: types) else {
                throw .missingKeyAttribute(attribute.name)
            }
            keyItem[attribute.name] = try ItemKey.value(value, for: attribute)
        }
        return keyItem
    }

    /// The key attributes of a mapped or stored item: what identifies it in its table.
    public func key(of item: DynamoDBItem) -> DynamoDBItem {
        item.filter { key.contains($0.key) }
    }

    /// The unconverted value of one key attribute, found where `item(for:types:)` would find it.
    private func keySource(named name: String, row: JSONObject, types: [ColumnType]) throws(MappingError)
        -> DynamoDBAttributeValue?
    {
        if let objectMapping, let mapping = attributeMappings[name] {
            return try attributeValue(of: mapping, ruleId: objectMapping.id, row: row, types: types, header: nil)
        }
        let excluded = objectMapping?.excludedColumns ?? []
        for (index, field) in row.fields.enumerated()
        where !excluded.contains(field.name) && transformations.attributeName(forColumn: field.name) == name {
            let typed = try typedValue(
                field.value, column: field.name, typeName: Self.typeName(of: field.name, at: index, in: types))
            return try ColumnValueConversion.attributeValue(
                timestampFormat.value(typed.value, typeName: typed.typeName), typeName: typed.typeName,
                column: field.name)
        }
        guard !excluded.contains(name),
            let added = transformations.addedColumns.first(where: { $0.column.name == name }),
            let value = try added.column.value(on: row, header: nil, ruleId: added.ruleId)
        else { return nil }
        return try ColumnValueConversion.attributeValue(value, typeName: nil, column: name)
    }

    /// An attribute mapping filled from `row`; nil when it is left out because a column it names is NULL.
    private func attributeValue(
        of mapping: AttributeMapping, ruleId: String, row: JSONObject, types: [ColumnType], header: RecordHeader?
    ) throws(MappingError) -> DynamoDBAttributeValue? {
        let renderer = TemplateRenderer(
            row: RowValues(
                row: row, header: header, addedColumns: transformations.addedColumns,
                columnValue: { [timestampFormat] column, value in
                    timestampFormat.value(value, typeName: Self.typeName(of: column, at: -1, in: types))
                }),
            ruleId: ruleId,
            attribute: mapping.targetName, nullIsError: key.contains(mapping.targetName))
        switch mapping.value {
        case .string(let template): return try renderer.string(template)
        case .number(let template): return try renderer.number(template)
        case .document(let document): return try renderer.document(document)
        }
    }

    /// A column's value converted as its change-data-type rule says (then typed by its JSON: no type name), or
    /// as it is with its own type name. Time values are converted in the mapping's `TimestampFormat`.
    private func typedValue(_ value: JSONValue, column: String, typeName: String?) throws(MappingError)
        -> (value: JSONValue, typeName: String?)
    {
        guard let change = transformations.typeChange(forColumn: column) else { return (value, typeName) }
        let source = timestampFormat.value(value, typeName: typeName)
        let converted = try change.type.value(
            of: ExpressionEvaluator.value(of: source), exact: source, ruleId: change.ruleId, attribute: column)
        return (converted ?? .null, nil)
    }

    /// A column's type name, looked up first where it usually is: records list types in column order.
    private static func typeName(of column: String, at index: Int, in types: [ColumnType]) -> String? {
        if types.indices.contains(index), types[index].column == column { return types[index].typeName }
        return types.first { $0.column == column }?.typeName
    }
}

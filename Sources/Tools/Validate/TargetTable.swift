import Apply
import Capture
import Shared

/// The DynamoDB side of one table's validation: the mapping apply uses for the table (built against the target's
/// key schema, as apply builds it), and the reads of the target table.
struct TargetTable {
    let table: SourceTable
    let shape: RecordShape
    let mapper: ItemMapper
    private let client: DynamoDBClient
    /// The rows capture reads (its selection rules' filters) as a SQL condition; nil: every row.
    var rowFilter: String?

    var name: String { mapper.targetTableName }

    /// A source row as the item apply would write for it, or why apply could not map it.
    enum MappedRow {
        case item(DynamoDBItem, key: DynamoDBItem)
        case unmappable(key: DynamoDBItem, reason: String)
    }

    /// Builds the mapping and checks that the target table exists, before any row is read.
    static func prepare(
        _ table: SourceTable, mappings: TableMappings, client: DynamoDBClient
    ) async throws(ValidateError) -> TargetTable {
        // `SourceSnapshot.open` refuses tables without a key, so this holds for every table it returns.
        guard let shape = RecordShape(table: table), let key = table.captureKey else {
            throw .sourceNotReady(
                source: table.name.description,
                problems: [.tableWithoutKey(table.name, replicaIdentity: table.replicaIdentity, hasPrimaryKey: false)])
        }
        let (schema, name) = (table.name.schema, table.name.name)
        let draft: ItemMapper
        do {
            draft = try ItemMapper(mappings: mappings, schema: schema, table: name, primaryKey: key)
        } catch {
            throw .mapping(table: table.name, error)
        }
        let description: TableDescription
        do {
            description = try await client.describeTable(draft.targetTableName)
        } catch let error as DynamoDBError where error.code == .resourceNotFound {
            throw .targetTableMissing(table: table.name, target: draft.targetTableName)
        } catch {
            throw .targetReadFailed(target: draft.targetTableName, underlying: error)
        }
        do {
            let mapper = try ItemMapper(
                mappings: mappings, schema: schema, table: name, primaryKey: key, keySchema: description.keyAttributes)
            return TargetTable(table: table, shape: shape, mapper: mapper, client: client)
        } catch {
            throw .mapping(table: table.name, error)
        }
    }

    func map(_ values: RecordShape.Values) -> MappedRow {
        let row = shape.object(values)
        do {
            let item = try mapper.item(for: row, types: shape.types)
            return .item(item, key: mapper.key(of: item))
        } catch {
            let rowKey = shape.key(values).map { String(decoding: JSONValue.object($0).jsonBytes, as: UTF8.self) } ?? "?"
            return .unmappable(
                key: (try? mapper.key(for: row, types: shape.types)) ?? [:], reason: "row \(rowKey): \(error)")
        }
    }

    /// Every item, by key, read with one strongly consistent scan.
    func index() async throws(ValidateError) -> TargetItemIndex {
        let mapper = self.mapper
        var index = TargetItemIndex(keyOf: { mapper.key(of: $0) })
        try await reading {
            try await client.scanPages(ScanInput(tableName: name, consistentRead: true)) { index.add($0) }
        }
        return index
    }

    /// How many items are not tombstones, counted by DynamoDB.
    func liveItemCount() async throws(ValidateError) -> Int {
        try await reading {
            try await client.countItems(
                ScanInput(
                    tableName: name, filterExpression: "attribute_not_exists(#deleted)",
                    expressionAttributeNames: ["#deleted": Tombstone.deletedAttribute], consistentRead: true))
        }
    }

    /// The item stored under `key`, tombstone or not.
    func item(key: DynamoDBItem) async throws(ValidateError) -> DynamoDBItem? {
        try await reading { try await client.getItem(GetItemInput(tableName: name, key: key, consistentRead: true)) }
    }

    /// A table deleted after `open` found it is missing as when `open` finds it so, not a failed read.
    private func reading<Value>(_ body: () async throws -> Value) async throws(ValidateError) -> Value {
        do {
            return try await body()
        } catch let error as DynamoDBError where error.code == .resourceNotFound {
            throw .targetTableMissing(table: table.name, target: name)
        } catch {
            throw .targetReadFailed(target: name, underlying: error)
        }
    }
}

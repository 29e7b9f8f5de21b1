import Logging
import Shared

/// The DynamoDB tables records go to, prepared as `--target-table-prep` says the first time a source table is
/// seen, and one `ItemMapper` per source table built against the target's key schema.
actor TargetTables {
    private let client: DynamoDBClient
    private let mappings: TableMappings
    private let prep: ApplyOptions.TargetTablePrep
    /// How to create the tables the file names (`--table-definitions`).
    private let definitions: TableDefinitions
    /// DROP_AND_CREATE's coordination with the group's other members.
    private let markers: TablePrepMarkers
    private let logger: Logger
    private var mappers: [String: ItemMapper] = [:]
    /// Target tables already prepared in this run (DROP_AND_CREATE drops each once, not once per source table).
    private var prepared: [String: [KeyAttribute]] = [:]
    private var markerTableExists = false

    init(
        client: DynamoDBClient, mappings: TableMappings, prep: ApplyOptions.TargetTablePrep,
        definitions: TableDefinitions = TableDefinitions(), markers: TablePrepMarkers, logger: Logger
    ) {
        self.client = client
        self.mappings = mappings
        self.prep = prep
        self.definitions = definitions
        self.markers = markers
        self.logger = logger
    }

    /// Source tables whose updates without `before` were checked.
    private var keysChecked: Set<String> = []

    /// Warns, once per table, when an update without `before` (the default replica identity) cannot tell its
    /// item's old key: the mapping builds the key from more than the primary key, so an update changing those
    /// columns leaves the old item behind. `REPLICA IDENTITY FULL` gives apply the old row to delete it by.
    func checkKeyFollowsPrimaryKey(of record: ChangeRecord, mapper: ItemMapper) {
        guard keysChecked.insert(mapper.sourceTableName).inserted else { return }
        guard let key = record.key, (try? mapper.key(for: key, types: record.types)) == nil else { return }
        logger.warning(
            "the item key of this table uses columns beyond its primary key, and its updates carry no old row: an update changing them leaves the old item behind; ALTER TABLE ... REPLICA IDENTITY FULL lets apply delete it",
            metadata: ["table": "\(mapper.sourceTableName)", "target": "\(mapper.targetTableName)"])
    }

    /// The mapper already built for `sourceTable` (`schema.table`) from a record of it, if any.
    func knownMapper(sourceTable: String) -> ItemMapper? {
        mappers[sourceTable]
    }

    /// The mapper for the record's table; nil when the selection rules leave the table out.
    /// - Throws: `MappingConfigurationError` (fatal), `ApplyRecordError` when the record cannot give the key
    ///   types a new table needs, or a `DynamoDBError`.
    func mapper(for record: ChangeRecord) async throws -> ItemMapper? {
        let source = record.source
        let name = "\(source.schema).\(source.table)"
        if let mapper = mappers[name] { return mapper }
        guard mappings.isSelected(schema: source.schema, table: source.table) else { return nil }
        let primaryKey = record.key?.fields.map(\.name) ?? []
        let draft = try ItemMapper(mappings: mappings, schema: source.schema, table: source.table, primaryKey: primaryKey)
        let keySchema = try await prepare(draft.targetTableName) { () throws(ApplyRecordError) in
            try Self.keyTypes(of: record, draft: draft)
        }
        let mapper = try ItemMapper(
            mappings: mappings, schema: source.schema, table: source.table, primaryKey: primaryKey, keySchema: keySchema)
        mappers[name] = mapper
        return mapper
    }

    /// The target table and its key attribute names for a truncate of `schema.table`; nil when it does not exist.
    func truncateTarget(schema: String, table: String) async throws -> (table: String, keyAttributes: [String])? {
        if let mapper = mappers["\(schema).\(table)"] { return (mapper.targetTableName, mapper.keyAttributeNames) }
        let target = mappings.targetTableName(schema: schema, table: table)
        do {
            let description = try await client.describeTable(target)
            return (target, description.keySchema.map(\.attributeName))
        } catch let error as DynamoDBError where error.code == .resourceNotFound {
            return nil
        }
    }

    /// Makes the table ready as `prep` says and returns its key schema.
    private func prepare(
        _ table: String, keyTypes: () throws(ApplyRecordError) -> [KeyAttribute]
    ) async throws -> [KeyAttribute] {
        if let keySchema = prepared[table] { return keySchema }
        let keySchema: [KeyAttribute]
        switch prep {
        case .doNothing:
            keySchema = try await describeKeySchema(table)
        case .createIfMissing:
            do {
                keySchema = try await describeKeySchema(table)
            } catch let error as DynamoDBError where error.code == .resourceNotFound {
                keySchema = try await create(table, key: try keyTypes())
            }
        case .dropAndCreate:
            keySchema = try await dropAndCreateOnce(table, key: try keyTypes())
        }
        prepared[table] = keySchema
        return keySchema
    }

    /// Drops and creates `table` unless the group already did, once for the whole group (`TablePrepMarkers`);
    /// waits while another member does it. Returns only when the table is ready for writes.
    private func dropAndCreateOnce(_ table: String, key: [KeyAttribute]) async throws -> [KeyAttribute] {
        if !markerTableExists {
            do {
                _ = try await describeKeySchema(TablePrepMarkers.table)
            } catch let error as DynamoDBError where error.code == .resourceNotFound {
                _ = try await create(TablePrepMarkers.table, key: TablePrepMarkers.key)
            }
            markerTableExists = true
        }
        var waiting = false
        while true {
            switch try await markers.claim(table) {
            case .prepared:
                do {
                    return try await client.waitUntilActive(table: table).keyAttributes
                } catch let error as DynamoDBError where error.code == .resourceNotFound {
                    return try await create(table, key: key)  // deleted by hand since: as CREATE_IF_MISSING
                }
            case .claimed:
                try await drop(table)
                let keySchema = try await create(table, key: key)
                if try await markers.markPrepared(table) { return keySchema }
            case .heldByAnother:
                if !waiting {
                    logger.info("waiting for another member of the group to drop and create the table", metadata: ["table": "\(table)"])
                    waiting = true
                }
                // Another process's progress has no event to wait on: ask again shortly.
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func describeKeySchema(_ table: String) async throws -> [KeyAttribute] {
        try await client.describeTable(table).keyAttributes
    }

    /// Creates `table` as `--table-definitions` says, else with `key` and on-demand billing; then enables its TTL
    /// if the definition has one. Returns the key schema of the active table.
    private func create(_ table: String, key: [KeyAttribute]) async throws -> [KeyAttribute] {
        let roles: [KeyType] = [.hash, .range]
        let definition = definitions.definition(of: table, suffix: mappings.targetTableSuffix)
        var created = false
        do {
            try await client.createTable(
                definition?.createTable
                    ?? CreateTableInput(
                        tableName: table,
                        attributeDefinitions: key.map {
                            AttributeDefinition($0.name, ScalarAttributeType(rawValue: $0.type.rawValue) ?? .s)
                        },
                        keySchema: zip(key, roles).map { KeySchemaElement($0.name, $1) }))
            created = true
            logger.info("target table created", metadata: [
                "table": "\(table)", "key": "\(key.map(\.name))", "from": "\(definition == nil ? "mapping" : "table definitions")",
            ])
        } catch let error as DynamoDBError where error.code == .resourceInUse {
            // Another apply process created it first (and sets its TTL).
        }
        let description = try await client.waitUntilActive(table: table)
        if created, let attribute = definition?.timeToLiveAttribute {
            try await client.enableTimeToLive(table: table, attribute: attribute)
            logger.info("time to live enabled", metadata: ["table": "\(table)", "attribute": "\(attribute)"])
        }
        return description.keyAttributes
    }

    private func drop(_ table: String) async throws {
        do {
            try await client.deleteTable(table)
        } catch let error as DynamoDBError where error.code == .resourceNotFound {
            return
        }
        logger.info("target table dropped", metadata: ["table": "\(table)"])
        while true {
            do {
                _ = try await client.describeTable(table)
                try await Task.sleep(for: .milliseconds(200))
            } catch let error as DynamoDBError where error.code == .resourceNotFound {
                return
            }
        }
    }

    /// A new table's key types, from the record's own key values as the mapping renders them: numbers → N,
    /// binary → B, everything else S.
    private static func keyTypes(of record: ChangeRecord, draft: ItemMapper) throws(ApplyRecordError) -> [KeyAttribute] {
        guard let row = record.key ?? record.after ?? record.before else {
            throw .unmappable("the record has no key to learn the new table's key types from")
        }
        let key: DynamoDBItem
        do {
            key = try draft.key(for: record.after ?? row, types: record.types)
        } catch {
            throw .unmappable(error.description)
        }
        return draft.keyAttributeNames.map { name in
            switch key[name] {
            case .n?: KeyAttribute(name: name, type: .number)
            case .b?: KeyAttribute(name: name, type: .binary)
            default: KeyAttribute(name: name, type: .string)
            }
        }
    }
}

extension TableMappings {
    /// The DynamoDB table a source table's items go to: the object mapping's `target-table-name`, else the table
    /// name after rename transformations.
    func targetTableName(schema: String, table: String) -> String {
        (objectMappingRules.first { $0.appliesTo(schema: schema, table: table) }?.targetTableName
            ?? TableTransformations(transformationRules, schema: schema, table: table).targetTableName)
            + targetTableSuffix
    }
}

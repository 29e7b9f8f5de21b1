/// A table as the Debezium encoder describes it: the topic prefix, its name, its columns and key columns.
public struct DebeziumTable: Sendable, Hashable {
    public var prefix: String
    public var schema: String
    public var table: String
    public var columns: [DebeziumColumn]
    /// The key (primary key or replica identity) columns, in key order.
    public var keyColumns: [String]

    public init(prefix: String, schema: String, table: String, columns: [DebeziumColumn], keyColumns: [String]) {
        self.prefix = prefix
        self.schema = schema
        self.table = table
        self.columns = columns
        self.keyColumns = keyColumns
    }
}

/// Writes Ferry's change records of one table as Debezium's PostgreSQL connector writes the same changes through
/// Kafka Connect's `JsonConverter` with `schemas.enable=true` (docs/design.md, "Debezium records"): the key
/// `{schema,payload}` of struct `<prefix>.<schema>.<table>.Key`, the value `{schema,payload}` of the envelope. The
/// inverse of `DebeziumMessageDecoder`: one encoder per message kind, `key` for keys, `value` for change events.
/// Pure code.
public struct DebeziumRecordEncoder: Sendable {
    public let table: DebeziumTable
    private let decimalHandling: DebeziumDecimalHandling
    private let columns: ColumnSet
    private let keyColumns: [DebeziumColumnEncoder]
    private let keySchema: JSONValue

    /// The encoders and the envelope schema of one set of columns (the table's, or a record's that differs).
    private struct ColumnSet: Sendable {
        let types: [ColumnType]
        let encoders: [DebeziumColumnEncoder]
        let envelopeSchema: JSONValue
    }

    public init(table: DebeziumTable, decimalHandling: DebeziumDecimalHandling = .precise) {
        self.table = table
        self.decimalHandling = decimalHandling
        columns = Self.columnSet(table.columns, table: table, decimalHandling: decimalHandling)
        keyColumns = table.keyColumns.compactMap { name in
            table.columns.first { $0.name == name }.map { column in
                var column = column
                column.isOptional = false
                return DebeziumColumnEncoder(column, decimalHandling: decimalHandling)
            }
        }
        keySchema = ConnectSchema(
            type: "struct", name: DebeziumEnvelope.schemaName(prefix: table.prefix, schema: table.schema, table: table.table, .key),
            fields: keyColumns.map { ($0.name, $0.schema) }, isOptional: false
        ).json()
    }

    /// The message key of a row: `{"schema":…,"payload":{<key columns>}}`.
    public func key(_ key: JSONObject) throws(DebeziumEncodingError) -> [UInt8] {
        var payload = JSONObject()
        for encoder in keyColumns {
            payload[encoder.name] = try encoder.encode(key[encoder.name] ?? .null, fail: failure(encoder.name))
        }
        return (["schema": keySchema, "payload": .object(payload)] as JSONValue).jsonBytes
    }

    /// The message key of a truncate, which names no row: a null payload (Debezium's own truncate events have no
    /// key; a compacted topic refuses a message without one).
    public static let truncateKey: [UInt8] = (["schema": .null, "payload": .null] as JSONValue).jsonBytes

    /// A change event's value. `snapshot` is `source.snapshot` for a snapshot row (`true`, `incremental`, …);
    /// other records say `false`.
    ///
    /// The version apply derives from it (`DebeziumSourcePosition`) orders like the record's own: `source.sequence`
    /// is `["<commit_lsn>","<lsn>"]` for a change and `["<commit_lsn>","<commit_lsn>"]` for a snapshot row, whose
    /// version is then `(commit_lsn, -1)` as in Ferry's (docs/design.md, "Debezium records").
    public func value(
        _ record: ChangeRecord, snapshot: DebeziumEnvelope.SnapshotMarker = .true
    ) throws(DebeziumEncodingError) -> [UInt8] {
        let columns = record.types == self.columns.types || record.types.isEmpty
            ? self.columns : Self.columnSet(describing: record.types, table: table, decimalHandling: decimalHandling)
        var payload = JSONObject()
        payload[DebeziumEnvelope.before] = try beforeImage(record, columns: columns)
        payload[DebeziumEnvelope.after] = try record.after.map { after throws(DebeziumEncodingError) in
            try row(after, unchanged: record.unchanged, columns: columns)
        } ?? .null
        payload[DebeziumEnvelope.source] = source(record, snapshot: record.op == .read ? snapshot : .false)
        payload[DebeziumEnvelope.transaction] = .null
        payload[DebeziumEnvelope.op] = .string(record.op.rawValue)
        payload[DebeziumEnvelope.tsMs] = .integer(record.tsMs)
        payload[DebeziumEnvelope.tsUs] = .integer(record.tsMs * 1000)
        payload[DebeziumEnvelope.tsNs] = .integer(record.tsMs * 1_000_000)
        return (["schema": columns.envelopeSchema, "payload": .object(payload)] as JSONValue).jsonBytes
    }

    /// `before`: the old row where the WAL has it; for a delete under the default replica identity, the key
    /// columns and every other column empty (null, or its type's empty value where the column is required).
    private func beforeImage(_ record: ChangeRecord, columns: ColumnSet) throws(DebeziumEncodingError) -> JSONValue {
        if let before = record.before { return try row(before, unchanged: [], columns: columns) }
        guard record.op == .delete, let key = record.key else { return .null }
        var image = JSONObject()
        for encoder in columns.encoders {
            if let value = key[encoder.name] {
                image[encoder.name] = try encoder.encode(value, fail: failure(encoder.name))
            } else {
                image[encoder.name] = encoder.emptyValue
            }
        }
        return .object(image)
    }

    /// A row struct: every column of the schema, in its order; a column PostgreSQL did not send as Debezium's
    /// placeholder, one the image lacks as null.
    private func row(_ values: JSONObject, unchanged: [String], columns: ColumnSet) throws(DebeziumEncodingError) -> JSONValue {
        var image = JSONObject()
        image.fields.reserveCapacity(columns.encoders.count)
        for encoder in columns.encoders {
            if let value = values[encoder.name] {
                image[encoder.name] = try encoder.encode(value, fail: failure(encoder.name))
            } else if unchanged.contains(encoder.name) {
                image[encoder.name] = encoder.unavailableValue
            } else {
                image[encoder.name] = .null
            }
        }
        return .object(image)
    }

    private func source(_ record: ChangeRecord, snapshot: DebeziumEnvelope.SnapshotMarker) -> JSONValue {
        typealias Field = DebeziumEnvelope.SourceField
        let source = record.source
        let commit = String(source.commitLSN.rawValue)
        let sequence: JSONValue = [.string(commit), .string(record.op == .read ? commit : String(source.lsn.rawValue))]
        let lsn = record.op == .read ? source.commitLSN : source.lsn
        var object = JSONObject()
        object[Field.version.rawValue] = .string(source.version)
        object[Field.connector.rawValue] = .string(DebeziumEnvelope.connectorName)
        object[Field.name.rawValue] = .string(table.prefix)
        object[Field.tsMs.rawValue] = .integer(source.tsMs)
        object[Field.snapshot.rawValue] = .string(snapshot.rawValue)
        object[Field.db.rawValue] = .string(source.db)
        object[Field.sequence.rawValue] = .string(sequence.jsonText)
        object[Field.tsUs.rawValue] = .integer(source.tsMs * 1000)
        object[Field.tsNs.rawValue] = .integer(source.tsMs * 1_000_000)
        object[Field.schema.rawValue] = .string(source.schema)
        object[Field.table.rawValue] = .string(source.table)
        object[Field.txId.rawValue] = source.txId.map { .integer($0) } ?? .null
        object[Field.lsn.rawValue] = .integer(Int64(bitPattern: lsn.rawValue))
        object[Field.xmin.rawValue] = .null
        return .object(object)
    }

    private func failure(_ column: String) -> (String) -> DebeziumEncodingError {
        { [table] reason in DebeziumEncodingError(table: "\(table.schema).\(table.table)", column: column, reason: reason) }
    }

    /// A record whose columns differ from the table's as described (a column added or retyped since): each of its
    /// columns as described where name and type agree, otherwise from its `types` entry alone (no modifier,
    /// nullable).
    private static func columnSet(
        describing types: [ColumnType], table: DebeziumTable, decimalHandling: DebeziumDecimalHandling
    ) -> ColumnSet {
        let columns = types.map { type in
            if let described = table.columns.first(where: { $0.name == type.column }),
                described.type.recordTypeName == type.typeName
            {
                return described
            }
            let isArray = type.typeName.hasSuffix("[]")
            return DebeziumColumn(
                name: type.column, type: PostgresColumnType(name: String(type.typeName.dropLast(isArray ? 2 : 0)), isArray: isArray))
        }
        return columnSet(columns, table: table, decimalHandling: decimalHandling)
    }

    private static func columnSet(
        _ columns: [DebeziumColumn], table: DebeziumTable, decimalHandling: DebeziumDecimalHandling
    ) -> ColumnSet {
        let encoders = columns.map { DebeziumColumnEncoder($0, decimalHandling: decimalHandling) }
        func name(_ kind: DebeziumEnvelope.SchemaKind) -> String {
            DebeziumEnvelope.schemaName(prefix: table.prefix, schema: table.schema, table: table.table, kind)
        }
        let rowSchema = ConnectSchema(type: "struct", name: name(.value), fields: encoders.map { ($0.name, $0.schema) })
        let envelope = ConnectSchema(
            type: "struct", name: name(.envelope),
            fields: [
                (DebeziumEnvelope.before, rowSchema), (DebeziumEnvelope.after, rowSchema),
                (DebeziumEnvelope.source, sourceSchema), (DebeziumEnvelope.transaction, transactionSchema),
                (DebeziumEnvelope.op, ConnectSchema(type: "string", isOptional: false)),
                (DebeziumEnvelope.tsMs, ConnectSchema(type: "int64")), (DebeziumEnvelope.tsUs, ConnectSchema(type: "int64")),
                (DebeziumEnvelope.tsNs, ConnectSchema(type: "int64")),
            ],
            isOptional: false)
        return ColumnSet(types: columns.map { ColumnType(column: $0.name, typeName: $0.type.recordTypeName) }, encoders: encoders, envelopeSchema: envelope.json())
    }

    /// `io.debezium.connector.postgresql.Source`.
    private static let sourceSchema: ConnectSchema = {
        typealias Field = DebeziumEnvelope.SourceField
        let snapshotValues = DebeziumEnvelope.SnapshotMarker.allCases.map(\.rawValue).joined(separator: ",")
        let fields: [(name: String, schema: ConnectSchema)] = Field.allCases.map { field in
            switch field {
            case .version, .connector, .name, .db, .schema, .table:
                return (field.rawValue, ConnectSchema(type: "string", isOptional: false))
            case .tsMs:
                return (field.rawValue, ConnectSchema(type: "int64", isOptional: false))
            case .snapshot:
                return (
                    field.rawValue,
                    ConnectSchema(
                        type: "string", name: DebeziumLogicalType.enumeration.rawValue, parameters: ["allowed": snapshotValues],
                        version: 1))
            case .sequence:
                return (field.rawValue, ConnectSchema(type: "string"))
            case .tsUs, .tsNs, .txId, .lsn, .xmin:
                return (field.rawValue, ConnectSchema(type: "int64"))
            }
        }
        return ConnectSchema(type: "struct", name: DebeziumEnvelope.sourceSchemaName, fields: fields, isOptional: false)
    }()

    /// `provide.transaction.metadata`'s block: null in every event (transaction metadata is not written).
    private static let transactionSchema = ConnectSchema(
        type: "struct", name: DebeziumEnvelope.transactionSchemaName,
        fields: [
            (DebeziumEnvelope.transactionFields[0], ConnectSchema(type: "string", isOptional: false)),
            (DebeziumEnvelope.transactionFields[1], ConnectSchema(type: "int64", isOptional: false)),
            (DebeziumEnvelope.transactionFields[2], ConnectSchema(type: "int64", isOptional: false)),
        ],
        version: 1)
}

/// A Kafka message of a Debezium PostgreSQL connector's table topic, decoded into what apply knows.
public enum DebeziumMessage: Sendable, Hashable {
    /// A row change (`r c u d`) or a truncate (`t`), as Ferry's record of the same change.
    case change(ChangeRecord)
    /// A null value: the row with this key was deleted (its columns converted as the key's schema says, and their
    /// types when the key has a schema).
    case tombstone(key: JSONObject, types: [ColumnType])
    /// A logical decoding message (`op` `m`): nothing to apply.
    case logicalMessage
}

/// Reads the messages of Debezium's PostgreSQL connector serialized by Kafka Connect's `JsonConverter`, with
/// schemas (`{"schema":…,"payload":…}`) or without (docs/design.md, "Debezium records"). One decoder per message
/// kind: `decodeValue` for changes, `decodeKey` for keys (and so tombstones). Pure code; errors name the field path.
public enum DebeziumMessageDecoder {
    public static func decode(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?
    ) throws(ChangeRecordDecodingError) -> DebeziumMessage {
        if let value { return try decodeValue(value, key: key) }
        guard let key else { throw ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey) }
        let (row, types) = try decodeKey(key)
        return .tombstone(key: row, types: types)
    }

    public static func decode(key: [UInt8]?, value: [UInt8]?) throws(ChangeRecordDecodingError) -> DebeziumMessage {
        try key.withUnsafeBytesTyped { keyBytes throws(ChangeRecordDecodingError) in
            try value.withUnsafeBytesTyped { valueBytes throws(ChangeRecordDecodingError) in
                try decode(key: keyBytes, value: valueBytes)
            }
        }
    }

    /// A change event's value (`key` is the message key, the row's primary key; none for truncates).
    static func decodeValue(
        _ bytes: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?
    ) throws(ChangeRecordDecodingError) -> DebeziumMessage {
        let document = try ConnectDocument(bytes, part: .value)
        guard case .object(let payload) = document.payload else {
            throw ChangeRecordDecodingError(
                part: .value, path: document.payloadPath,
                problem: .wrongType(expected: "an object", found: document.payload.kindDescription))
        }
        let envelope = FieldReader(payload, path: document.payloadPath, part: .value)
        let code = try envelope.string(DebeziumEnvelope.op)
        if code == "m" { return .logicalMessage }
        guard let op = Operation(rawValue: code) else { throw envelope.failure(at: DebeziumEnvelope.op, .unknownOperation(code)) }
        let source = try DebeziumSourcePosition.sourceInfo(try envelope.object(DebeziumEnvelope.source), op: op)
        let before = try row(envelope, DebeziumEnvelope.before, schema: document.schema?.field(DebeziumEnvelope.before))
        let after = try row(envelope, DebeziumEnvelope.after, schema: document.schema?.field(DebeziumEnvelope.after))
        let rowSchema = document.schema?.field(DebeziumEnvelope.after) ?? document.schema?.field(DebeziumEnvelope.before)
        return .change(
            ChangeRecord(
                op: op, tsMs: try envelope.optionalInt64(DebeziumEnvelope.tsMs) ?? source.tsMs, source: source,
                // A truncate names no row: its key (none in Debezium's events, a null payload in Ferry's) is not read.
                key: op == .truncate ? nil : try key.map { bytes throws(ChangeRecordDecodingError) in try decodeKey(bytes).row },
                before: before.values, after: after.values, types: rowSchema.map(columnTypes) ?? [],
                unchanged: after.unchanged))
    }

    /// A message key: the primary-key columns, converted as their schema says.
    static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(ChangeRecordDecodingError) -> (row: JSONObject, types: [ColumnType]) {
        let document = try ConnectDocument(bytes, part: .key)
        guard case .object(let object) = document.payload else {
            throw ChangeRecordDecodingError(
                part: .key, path: document.payloadPath,
                problem: .wrongType(expected: "an object", found: document.payload.kindDescription))
        }
        let converted = try columns(object, schema: document.schema, path: document.payloadPath, part: .key)
        return (converted.values, document.schema.map(columnTypes) ?? [])
    }

    /// `before` or `after`: the row's columns in Ferry's form, and the columns that held the unavailable-value
    /// placeholder (left out, as Ferry's `unchanged` columns are).
    private static func row(
        _ envelope: FieldReader, _ name: String, schema: ConnectSchema?
    ) throws(ChangeRecordDecodingError) -> (values: JSONObject?, unchanged: [String]) {
        guard let object = try envelope.optionalObject(name) else { return (nil, []) }
        let path = envelope.path.isEmpty ? name : envelope.path + "." + name
        return try columns(object, schema: schema, path: path, part: .value)
    }

    private static func columns(
        _ object: JSONObject, schema: ConnectSchema?, path: String, part: ChangeRecordDecodingError.Part
    ) throws(ChangeRecordDecodingError) -> (values: JSONObject, unchanged: [String]) {
        var values = JSONObject()
        values.fields.reserveCapacity(object.count)
        var unchanged: [String] = []
        for field in object.fields {
            let columnSchema = schema?.field(field.name)
            if DebeziumColumnValue.isUnavailable(field.value, schema: columnSchema) {
                unchanged.append(field.name)
                continue
            }
            let columnPath = path.isEmpty ? field.name : path + "." + field.name
            let value = try DebeziumColumnValue.convert(field.value, schema: columnSchema, path: columnPath, part: part)
            values.fields.append(JSONObject.Field(name: field.name, value: value))
        }
        return (values, unchanged)
    }

    /// The record's `types`: each column of the row schema with the PostgreSQL type its logical type stands for.
    private static func columnTypes(_ rowSchema: ConnectSchema) -> [ColumnType] {
        rowSchema.fields.compactMap { field in
            DebeziumColumnValue.typeName(field.schema).map { ColumnType(column: field.name, typeName: $0) }
        }
    }
}

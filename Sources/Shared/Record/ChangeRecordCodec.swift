/// A Kafka message of a table topic, decoded.
public enum DecodedMessage: Sendable, Hashable {
    case change(ChangeRecord)
    /// A null value: the row with this key was deleted and compaction may drop its history.
    case tombstone(key: JSONObject)
}

/// The wire form of change records: the Kafka message key (`{"PaymentId":42}`) and value (the Debezium-style
/// envelope of docs/design.md). Encoding is on capture's hot path and appends bytes directly; decoding ignores unknown
/// fields and names the path of anything missing or malformed.
public enum ChangeRecordCodec {
    /// The header of the tombstone that follows a delete: the delete's own value, byte for byte (docs/design.md,
    /// "Tombstones"). Compaction keeps a tombstone and its headers after it dropped the delete, so a consumer can
    /// still apply the delete exactly (its version, its table, its key's types).
    public static let tombstoneDeleteHeader = "ferry.delete"

    // MARK: Encoding

    public static func encodeValue(_ record: ChangeRecord) -> [UInt8] {
        var sink = ByteSink(capacity: 1024)
        write(record, to: &sink)
        return Array(sink.bytes)
    }

    /// Appends the record's JSON to `buffer`, so a caller can reuse one buffer for many records.
    public static func encodeValue(_ record: ChangeRecord, into buffer: inout [UInt8]) {
        var sink = ByteSink(capacity: 1024)
        write(record, to: &sink)
        buffer.append(contentsOf: sink.bytes)
    }

    public static func encodeKey(_ key: JSONObject) -> [UInt8] {
        var sink = ByteSink(capacity: 64)
        sink.writeJSONObject(key)
        return Array(sink.bytes)
    }

    private static func write(_ record: ChangeRecord, to sink: inout ByteSink) {
        writeEnvelopeStart(op: record.op, tsMs: record.tsMs, source: record.source, to: &sink)
        sink.append(#","key":"#)
        writeOptionalObject(record.key, to: &sink)
        sink.append(#","before":"#)
        writeOptionalObject(record.before, to: &sink)
        sink.append(#","after":"#)
        writeOptionalObject(record.after, to: &sink)
        writeEnvelopeEnd(types: record.types, unchanged: record.unchanged, to: &sink)
    }

    /// The envelope up to and including the `source` block: `{"op":…,"ts_ms":…,"source":{…}`.
    /// Public to the package, with its parts, so the snapshot and stream encoders write the bytes that are the same
    /// for many records once.
    package static func writeEnvelopeStart(op: Operation, tsMs: Int64, source: SourceInfo, to sink: inout ByteSink) {
        writeEnvelopeHead(op: op, tsMs: tsMs, to: &sink)
        writeSourceIdentity(source, to: &sink)
        writeSourcePosition(txId: source.txId, lsn: source.lsn, commitLSN: source.commitLSN, seq: source.seq, tsMs: source.tsMs, to: &sink)
    }

    /// `{"op":…,"ts_ms":…,"source":{`
    package static func writeEnvelopeHead(op: Operation, tsMs: Int64, to sink: inout ByteSink) {
        sink.append(#"{"op":""#)
        sink.append(op.code)
        sink.append(#"","ts_ms":"#)
        sink.writeInteger(tsMs)
        sink.append(#","source":{"#)
    }

    /// The `source` fields that are the same for every record of a table: `"connector":…,"snapshot":…`.
    package static func writeSourceIdentity(_ source: SourceInfo, to sink: inout ByteSink) {
        sink.append(#""connector":"#)
        sink.writeJSONString(source.connector)
        sink.append(#","version":"#)
        sink.writeJSONString(source.version)
        sink.append(#","name":"#)
        sink.writeJSONString(source.name)
        sink.append(#","db":"#)
        sink.writeJSONString(source.db)
        sink.append(#","schema":"#)
        sink.writeJSONString(source.schema)
        sink.append(#","table":"#)
        sink.writeJSONString(source.table)
        sink.append(source.snapshot ? #","snapshot":true"# : #","snapshot":false"#)
        // Absent in the first generation: its records stay byte for byte what they were before generations.
        if source.generation != 0 {
            sink.append(#","generation":"#)
            sink.writeInteger(source.generation)
        }
    }

    /// The rest of `source`, where the record is in the WAL, and the block's closing brace: `,"txId":…,"ts_ms":…}`.
    package static func writeSourcePosition(
        txId: Int64?, lsn: LSN, commitLSN: LSN, seq: Int64, tsMs: Int64, to sink: inout ByteSink
    ) {
        sink.append(#","txId":"#)
        if let txId {
            sink.writeInteger(txId)
        } else {
            sink.append("null")
        }
        sink.append(#","lsn":""#)
        lsn.write(to: &sink)
        sink.append(#"","commit_lsn":""#)
        commitLSN.write(to: &sink)
        sink.append(#"","seq":"#)
        sink.writeInteger(seq)
        sink.append(#","ts_ms":"#)
        sink.writeInteger(tsMs)
        sink.append("}")
    }

    /// The envelope after `after`: `,"types":{…},"unchanged":[…]}`.
    package static func writeEnvelopeEnd(types: [ColumnType], unchanged: [String], to sink: inout ByteSink) {
        writeTypes(types, to: &sink)
        sink.append(#","unchanged":["#)
        for (index, column) in unchanged.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            sink.writeJSONString(column)
        }
        sink.append("]}")
    }

    /// `,"types":{…}`
    package static func writeTypes(_ types: [ColumnType], to sink: inout ByteSink) {
        sink.append(#","types":{"#)
        for (index, columnType) in types.enumerated() {
            if index > 0 { sink.append(UInt8(ascii: ",")) }
            sink.writeJSONString(columnType.column)
            sink.append(UInt8(ascii: ":"))
            sink.writeJSONString(columnType.typeName)
        }
        sink.append("}")
    }

    private static func writeOptionalObject(_ object: JSONObject?, to sink: inout ByteSink) {
        if let object {
            sink.writeJSONObject(object)
        } else {
            sink.append("null")
        }
    }

    // MARK: Decoding

    public static func decodeValue(_ bytes: UnsafeRawBufferPointer) throws(ChangeRecordDecodingError) -> ChangeRecord {
        var decoder = ChangeRecordDecoder()
        return try decoder.decodeValue(bytes)
    }

    /// The general decoder: the whole value parsed as JSON, then each field looked up, in any order.
    static func decodeAnyLayout(_ bytes: UnsafeRawBufferPointer) throws(ChangeRecordDecodingError) -> ChangeRecord {
        let envelope = FieldReader(try parseObject(bytes, part: .value), path: "", part: .value)
        // Read in wire order, so the first problem reported is the first one in the document.
        let op = try envelope.operation("op")
        let tsMs = try envelope.int64("ts_ms")
        let sourceReader = try envelope.object("source")
        let source = SourceInfo(
            connector: try sourceReader.string("connector"),
            version: try sourceReader.string("version"),
            name: try sourceReader.string("name"),
            db: try sourceReader.string("db"),
            schema: try sourceReader.string("schema"),
            table: try sourceReader.string("table"),
            snapshot: try sourceReader.bool("snapshot"),
            txId: try sourceReader.optionalInt64("txId"),
            lsn: try sourceReader.lsn("lsn"),
            commitLSN: try sourceReader.lsn("commit_lsn"),
            seq: try sourceReader.int64("seq"),
            tsMs: try sourceReader.int64("ts_ms"),
            generation: try sourceReader.optionalInt64("generation") ?? 0
        )
        return ChangeRecord(
            op: op,
            tsMs: tsMs,
            source: source,
            key: try envelope.optionalObject("key"),
            before: try envelope.optionalObject("before"),
            after: try envelope.optionalObject("after"),
            types: try envelope.columnTypes("types"),
            unchanged: try envelope.strings("unchanged")
        )
    }

    public static func decodeValue(_ bytes: [UInt8]) throws(ChangeRecordDecodingError) -> ChangeRecord {
        try bytes.withUnsafeBytesTyped { buffer throws(ChangeRecordDecodingError) in try decodeValue(buffer) }
    }

    public static func decodeKey(_ bytes: UnsafeRawBufferPointer) throws(ChangeRecordDecodingError) -> JSONObject {
        try parseObject(bytes, part: .key)
    }

    public static func decodeKey(_ bytes: [UInt8]) throws(ChangeRecordDecodingError) -> JSONObject {
        try bytes.withUnsafeBytesTyped { buffer throws(ChangeRecordDecodingError) in try decodeKey(buffer) }
    }

    /// Decodes a message of a table topic. A null value is a tombstone, which must have a key; otherwise the
    /// key is not parsed, because the record carries the same key (and truncates have none).
    public static func decodeMessage(
        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?
    ) throws(ChangeRecordDecodingError) -> DecodedMessage {
        if let value { return .change(try decodeValue(value)) }
        guard let key else {
            throw ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey)
        }
        return .tombstone(key: try decodeKey(key))
    }

    public static func decodeMessage(
        key: [UInt8]?, value: [UInt8]?
    ) throws(ChangeRecordDecodingError) -> DecodedMessage {
        if let value { return .change(try decodeValue(value)) }
        guard let key else {
            throw ChangeRecordDecodingError(part: .key, path: "", problem: .tombstoneWithoutKey)
        }
        return .tombstone(key: try decodeKey(key))
    }

    private static func parseObject(
        _ bytes: UnsafeRawBufferPointer, part: ChangeRecordDecodingError.Part
    ) throws(ChangeRecordDecodingError) -> JSONObject {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ChangeRecordDecodingError(part: part, path: "", problem: .syntax(error))
        }
        guard case .object(let object) = document else {
            throw ChangeRecordDecodingError(
                part: part, path: "", problem: .wrongType(expected: "an object", found: document.kindDescription))
        }
        return object
    }
}

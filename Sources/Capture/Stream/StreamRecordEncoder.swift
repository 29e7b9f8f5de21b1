import Shared

/// Writes one table's change records from pgoutput tuples straight into Kafka messages: key and value byte for byte
/// what `ChangeRecordCodec` writes for the record built from decoded values, without a `JSONValue`, `ChangeRecord`
/// or array per change. The `source` fields naming the table and its `types` map are written once per table.
struct StreamRecordEncoder: Sendable {
    static let truncateMessageKey: StaticString = "{}"
    let topic: String
    /// `schema.table`, for errors.
    let table: String
    let rows: RowImageEncoder
    /// The table's shape, for reading back columns PostgreSQL did not send (`UnsentColumnsReader`).
    let shape: RecordShape
    private let columnNames: [String]
    /// `"connector":…,"snapshot":false`
    private let sourceIdentity: [UInt8]
    /// `,"types":{…}`
    private let types: [UInt8]

    init(shape: RecordShape, prefix: String, database: String, generation: Int64 = 0) {
        let source = SourceInfo(
            version: FerryVersion.current, name: prefix, db: database, schema: shape.schema, table: shape.table,
            snapshot: false, txId: nil, lsn: LSN(rawValue: 0), commitLSN: LSN(rawValue: 0), seq: 0, tsMs: 0, generation: generation)
        topic = source.topic
        table = "\(shape.schema).\(shape.table)"
        rows = RowImageEncoder(shape: shape)
        self.shape = shape
        columnNames = shape.columns.map(\.name)
        var sink = ByteSink(capacity: 512)
        ChangeRecordCodec.writeSourceIdentity(source, to: &sink)
        sourceIdentity = Array(sink.bytes)
        sink.truncate(to: 0)
        ChangeRecordCodec.writeTypes(shape.types, to: &sink)
        types = Array(sink.bytes)
    }

    /// Writes `tuple`'s values into `row`.
    func read(_ tuple: TupleData, into row: inout RowImage) throws(ChangeAssembler.Failure) {
        guard tuple.columns.count == rows.columnCount else {
            throw ChangeAssembler.Failure(
                description: "\(table): tuple has \(tuple.columns.count) columns, relation has \(rows.columnCount)")
        }
        rows.begin(&row)
        for (index, value) in tuple.columns.enumerated() {
            do {
                switch value {
                case .null: try rows.write(index, nil, to: &row)
                case .unchangedToast: rows.skip(index, in: &row)
                case .text(let bytes), .binary(let bytes):
                    try bytes.withUnsafeReadableBytes { text throws(PostgresValueError) in try rows.write(index, text, to: &row) }
                }
            } catch {
                throw ChangeAssembler.Failure(description: "\(table).\(columnNames[index]): \(error)")
            }
        }
    }

    /// Writes one record's message (and, for a delete with `tombstone`, a tombstone after it carrying the delete's
    /// value as its `ChangeRecordCodec.tombstoneDeleteHeader`).
    /// - Parameters:
    ///   - key: the key object's bytes; nil only for a truncate.
    ///   - before, after: the row images' fields (without braces), nil for `null`.
    ///   - unchanged: columns of the new row PostgreSQL did not send.
    func write(
        _ op: Operation, key: UnsafeBufferPointer<UInt8>?, before: UnsafeBufferPointer<UInt8>?,
        after: UnsafeBufferPointer<UInt8>?, unchanged: [Int], at position: ChangePosition, tombstone: Bool,
        into batch: inout ChangeBatchBuilder
    ) {
        batch.messages.use(topic: topic)
        // A truncate's record has no key, but its message needs one: a compacted topic (the default) refuses
        // messages without a key. `{}` names no row, and successive truncates of a table compact to the last.
        if let key { batch.messages.bytes.append(key) } else { batch.messages.bytes.append(Self.truncateMessageKey) }
        batch.messages.endKey()
        let valueStart = batch.messages.bytes.count
        ChangeRecordCodec.writeEnvelopeHead(op: op, tsMs: position.nowMs, to: &batch.messages.bytes)
        sourceIdentity.withUnsafeBufferPointer { batch.messages.bytes.append($0) }
        ChangeRecordCodec.writeSourcePosition(
            txId: position.txId, lsn: position.lsn, commitLSN: position.commitLSN, seq: position.seq,
            tsMs: position.commitMs, to: &batch.messages.bytes)
        batch.messages.bytes.append(#","key":"#)
        if let key { batch.messages.bytes.append(key) } else { batch.messages.bytes.append("null") }
        batch.messages.bytes.append(#","before":"#)
        RowImage.writeObject(before, to: &batch.messages.bytes)
        batch.messages.bytes.append(#","after":"#)
        RowImage.writeObject(after, to: &batch.messages.bytes)
        types.withUnsafeBufferPointer { batch.messages.bytes.append($0) }
        batch.messages.bytes.append(#","unchanged":["#)
        rows.writeNames(of: unchanged, to: &batch.messages.bytes)
        batch.messages.bytes.append("]}")
        let valueEnd = batch.messages.bytes.count
        batch.messages.endMessage()
        batch.count(op)
        if tombstone, op == .delete, let key {
            batch.messages.bytes.append(key)
            batch.messages.endKey()
            batch.messages.bytes.appendCopy(of: valueStart..<valueEnd)
            batch.messages.endTombstone(headerName: ChangeRecordCodec.tombstoneDeleteHeader)
        }
    }

}

/// Where a change is in the WAL and its transaction, and when capture read it: the record's `ts_ms` and `source`.
struct ChangePosition {
    var txId: Int64
    var lsn: LSN
    var commitLSN: LSN
    var seq: Int64
    var commitMs: Int64
    var nowMs: Int64
}

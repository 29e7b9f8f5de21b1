import Shared

/// Turns COPY text rows straight into the Kafka messages of their `op: "r"` records: key and value byte for byte
/// what `ChangeRecordCodec` writes for the record built from the same row, without a `JSONValue`, `ChangeRecord`
/// or array per row. Everything around `key` and `after` is the same for every row of a table (and `ts_ms` for
/// every row of a batch), so it is written once.
struct SnapshotRecordEncoder: Sendable {
    let topic: String
    private let source: SourceInfo
    private let table: String
    private let columnTypes: [PostgresColumnType]
    /// For each column, its position in the key, or -1.
    private let keyPositions: [Int]
    private let keyCount: Int
    /// The constant fragments, back to back in one array so the row loop reads them without retains.
    private let fragments: [UInt8]
    /// `"name":` of each column in `fragments`, with a leading comma from the second column on.
    private let fieldNames: [Range<Int>]
    /// `"name":` of each key column, in key order, likewise.
    private let keyNames: [Range<Int>]
    /// `,"before":null,"after":{`
    private let beforeAfter: Range<Int>
    /// `},"types":{…},"unchanged":[]}`
    private let envelopeEnd: Range<Int>

    init(shape: RecordShape, source: SourceInfo) {
        topic = source.topic
        self.source = source
        table = "\(shape.schema).\(shape.table)"
        columnTypes = shape.columns.map(\.type)
        keyCount = shape.keyIndexes.count
        var keyPositions = [Int](repeating: -1, count: shape.columns.count)
        for (position, column) in shape.keyIndexes.enumerated() { keyPositions[column] = position }
        self.keyPositions = keyPositions

        var sink = ByteSink(capacity: 1024)
        func fragment(_ write: (inout ByteSink) -> Void) -> Range<Int> {
            let start = sink.count
            write(&sink)
            return start..<sink.count
        }
        fieldNames = shape.columns.enumerated().map { index, column in
            fragment { sink in
                if index > 0 { sink.append(UInt8(ascii: ",")) }
                sink.writeJSONString(column.name)
                sink.append(UInt8(ascii: ":"))
            }
        }
        keyNames = shape.keyIndexes.enumerated().map { position, column in
            fragment { sink in
                if position > 0 { sink.append(UInt8(ascii: ",")) }
                sink.writeJSONString(shape.columns[column].name)
                sink.append(UInt8(ascii: ":"))
            }
        }
        beforeAfter = fragment { $0.append(#","before":null,"after":{"#) }
        envelopeEnd = fragment { sink in
            sink.append("}")
            ChangeRecordCodec.writeEnvelopeEnd(types: shape.types, unchanged: [], to: &sink)
        }
        fragments = Array(sink.bytes)
    }

    /// The messages of every row of `chunk`, their records stamped with `tsMs`.
    func encode(_ chunk: PostgresCopyChunk, tsMs: Int64) throws -> KafkaMessageBatch {
        var envelopeStart = ByteSink(capacity: 512)
        ChangeRecordCodec.writeEnvelopeStart(op: .read, tsMs: tsMs, source: source, to: &envelopeStart)
        envelopeStart.append(#","key":"#)
        var batch = KafkaMessageBatchBuilder(
            capacity: chunk.bytes.count * 2 + chunk.rowCount * (envelopeStart.count + fragments.count),
            messages: chunk.rowCount)
        var row = RowScratch(keyCount: keyCount)
        // COPY fields with backslash escapes, undone (apart from `row`: the field callback writes to `row`).
        var unescaped: [UInt8] = []
        try fragments.withUnsafeBufferPointer { fragments in
            for index in 0..<chunk.rowCount {
                try chunk.withRow(index) { text in
                    try encodeRow(text, into: &row, unescaping: &unescaped, fragments: fragments)
                }
                batch.bytes.append(row.key.bytes)
                batch.endKey()
                batch.bytes.append(envelopeStart.bytes)
                batch.bytes.append(row.key.bytes)
                batch.bytes.append(UnsafeBufferPointer(rebasing: fragments[beforeAfter]))
                batch.bytes.append(row.after.bytes)
                batch.bytes.append(UnsafeBufferPointer(rebasing: fragments[envelopeEnd]))
                batch.endMessage()
            }
        }
        return batch.build(topic: topic)
    }

    /// Writes the row's `after` fields (without braces) and its key object into `row`.
    private func encodeRow(
        _ text: UnsafeRawBufferPointer, into row: inout RowScratch, unescaping unescaped: inout [UInt8],
        fragments: UnsafeBufferPointer<UInt8>
    ) throws {
        row.after.truncate(to: 0)
        var fieldCount = 0
        try CopyTextRow.forEachField(in: text, scratch: &unescaped) { index, field in
            guard index < columnTypes.count else {
                throw CopyTextRow.MalformedRow(reason: "more fields than the \(columnTypes.count) columns of \(table)")
            }
            try writeField(index, field, into: &row, fragments: fragments)
            fieldCount = index + 1
        }
        // Columns missing from the row are null, as in the records built from decoded values.
        for index in fieldCount..<columnTypes.count { try writeField(index, nil, into: &row, fragments: fragments) }

        row.key.truncate(to: 0)
        row.key.append(UInt8(ascii: "{"))
        for position in 0..<keyCount {
            row.key.append(UnsafeBufferPointer(rebasing: fragments[keyNames[position]]))
            row.key.append(row.after.bytes(in: row.keyValues[position]))
        }
        row.key.append(UInt8(ascii: "}"))
    }

    private func writeField(
        _ index: Int, _ field: UnsafeRawBufferPointer?, into row: inout RowScratch, fragments: UnsafeBufferPointer<UInt8>
    ) throws(PostgresValueError) {
        row.after.append(UnsafeBufferPointer(rebasing: fragments[fieldNames[index]]))
        let valueStart = row.after.count
        try PostgresTextValue.writeJSON(field, as: columnTypes[index], to: &row.after)
        let keyPosition = keyPositions[index]
        if keyPosition >= 0 { row.keyValues[keyPosition] = valueStart..<row.after.count }
    }
}

/// Buffers reused from row to row of a batch.
private struct RowScratch: ~Copyable {
    /// The `after` object's fields, without the braces.
    var after = ByteSink(capacity: 1024)
    /// Where each key column's value lies in `after`, in key order.
    var keyValues: [Range<Int>]
    /// The key object.
    var key = ByteSink(capacity: 64)

    init(keyCount: Int) {
        keyValues = Array(repeating: 0..<0, count: keyCount)
    }
}

import Shared

/// Turns COPY rows (text or binary format) straight into the Kafka messages of their `op: "r"` records: key and
/// value byte for byte what `ChangeRecordCodec` writes for the record built from the same row, without a
/// `JSONValue`, `ChangeRecord` or array per row. Everything around `key` and `after` is the same for every row of a
/// table (and `ts_ms` for every row of a batch), so it is written once.
struct SnapshotRecordEncoder: Sendable {
    let topic: String
    private let source: SourceInfo
    private let table: String
    private let rowEncoder: RowImageEncoder
    /// `,"before":null,"after":`
    private static let beforeAfter: StaticString = #","before":null,"after":"#
    /// `,"types":{…},"unchanged":[]}`
    private let envelopeEnd: [UInt8]

    init(shape: RecordShape, source: SourceInfo) {
        topic = source.topic
        self.source = source
        table = "\(shape.schema).\(shape.table)"
        rowEncoder = RowImageEncoder(shape: shape)
        var sink = ByteSink(capacity: 512)
        ChangeRecordCodec.writeEnvelopeEnd(types: shape.types, unchanged: [], to: &sink)
        envelopeEnd = Array(sink.bytes)
    }

    /// The messages of every row of `chunk`, their records stamped with `tsMs`.
    func encode(_ chunk: PostgresCopyChunk, tsMs: Int64) throws -> KafkaMessageBatch {
        var batch = KafkaMessageBatchBuilder(
            capacity: chunk.bytes.count * 2 + chunk.rowCount * (512 + envelopeEnd.count + 64), messages: chunk.rowCount)
        _ = try write(chunk, tsMs: tsMs, into: &batch)
        return batch.build()
    }

    /// Writes the messages of the rows of `chunk` whose key is not in `skipping` into `batch` (an incremental
    /// snapshot leaves out the rows that changed while its chunk was read); returns how many it wrote.
    func write(
        _ chunk: PostgresCopyChunk, tsMs: Int64, into batch: inout KafkaMessageBatchBuilder, skipping: Set<[UInt8]> = []
    ) throws -> Int {
        var envelopeStart = ByteSink(capacity: 512)
        ChangeRecordCodec.writeEnvelopeStart(op: .read, tsMs: tsMs, source: source, to: &envelopeStart)
        envelopeStart.append(#","key":"#)
        batch.use(topic: topic)
        var row = RowImage()
        // COPY fields with backslash escapes, undone (apart from `row`: the field callback writes to `row`).
        var unescaped: [UInt8] = []
        var written = 0
        try envelopeEnd.withUnsafeBufferPointer { envelopeEnd in
            for index in 0..<chunk.rowCount {
                try chunk.withRow(index) { bytes in
                    try encodeRow(bytes, format: chunk.format, into: &row, unescaping: &unescaped)
                }
                let keyStart = batch.bytes.count
                // Every column of a COPY row is sent, so the key is always complete.
                _ = rowEncoder.writeKey(of: row, to: &batch.bytes)
                let keyEnd = batch.bytes.count
                if !skipping.isEmpty, skipping.contains(Array(batch.bytes.bytes(in: keyStart..<keyEnd))) {
                    batch.bytes.truncate(to: keyStart)
                    continue
                }
                batch.endKey()
                batch.bytes.append(envelopeStart.bytes)
                batch.bytes.appendCopy(of: keyStart..<keyEnd)
                batch.bytes.append(Self.beforeAfter)
                RowImage.writeObject(row.fields.bytes, to: &batch.bytes)
                batch.bytes.append(envelopeEnd)
                batch.endMessage()
                written += 1
            }
        }
        return written
    }

    /// The key object (`{"id":1}`) of the last row of `chunk`, as its record writes it; nil for no rows.
    func key(ofLastRowIn chunk: PostgresCopyChunk) throws -> [UInt8]? {
        guard chunk.rowCount > 0 else { return nil }
        var row = RowImage()
        var unescaped: [UInt8] = []
        try chunk.withRow(chunk.rowCount - 1) { bytes in
            try encodeRow(bytes, format: chunk.format, into: &row, unescaping: &unescaped)
        }
        var key = ByteSink(capacity: 128)
        _ = rowEncoder.writeKey(of: row, to: &key)
        return Array(key.bytes)
    }

    /// Writes the row's fields into `row`.
    private func encodeRow(
        _ bytes: UnsafeRawBufferPointer, format: PostgresCopyFormat, into row: inout RowImage,
        unescaping unescaped: inout [UInt8]
    ) throws {
        rowEncoder.begin(&row)
        var fieldCount = 0
        // Closure literals, not a local function: one captured by reference cost a heap box and dynamic
        // exclusivity checks per row.
        switch format {
        case .text:
            try CopyTextRow.forEachField(in: bytes, scratch: &unescaped) { index, field in
                try writeField(index, field, format: .text, into: &row, fieldCount: &fieldCount)
            }
        case .binary:
            try CopyBinaryRow.forEachField(in: bytes) { index, field in
                try writeField(index, field, format: .binary, into: &row, fieldCount: &fieldCount)
            }
        }
        // Columns missing from the row are null, as in the records built from decoded values.
        for index in fieldCount..<rowEncoder.columnCount { try rowEncoder.write(index, nil, to: &row) }
    }

    private func writeField(
        _ index: Int, _ field: UnsafeRawBufferPointer?, format: PostgresCopyFormat, into row: inout RowImage,
        fieldCount: inout Int
    ) throws {
        guard index < rowEncoder.columnCount else {
            throw MalformedCopyRow(reason: "more fields than the \(rowEncoder.columnCount) columns of \(table)")
        }
        try rowEncoder.write(index, field, format: format, to: &row)
        fieldCount = index + 1
    }
}

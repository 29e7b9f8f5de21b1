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
        var envelopeStart = ByteSink(capacity: 512)
        ChangeRecordCodec.writeEnvelopeStart(op: .read, tsMs: tsMs, source: source, to: &envelopeStart)
        envelopeStart.append(#","key":"#)
        var batch = KafkaMessageBatchBuilder(
            capacity: chunk.bytes.count * 2 + chunk.rowCount * (envelopeStart.count + envelopeEnd.count + 64),
            messages: chunk.rowCount)
        batch.use(topic: topic)
        var row = RowImage()
        // COPY fields with backslash escapes, undone (apart from `row`: the field callback writes to `row`).
        var unescaped: [UInt8] = []
        try envelopeEnd.withUnsafeBufferPointer { envelopeEnd in
            for index in 0..<chunk.rowCount {
                try chunk.withRow(index) { bytes in
                    try encodeRow(bytes, format: chunk.format, into: &row, unescaping: &unescaped)
                }
                let keyStart = batch.bytes.count
                // Every column of a COPY row is sent, so the key is always complete.
                _ = rowEncoder.writeKey(of: row, to: &batch.bytes)
                let keyEnd = batch.bytes.count
                batch.endKey()
                batch.bytes.append(envelopeStart.bytes)
                batch.bytes.appendCopy(of: keyStart..<keyEnd)
                batch.bytes.append(Self.beforeAfter)
                RowImage.writeObject(row.fields.bytes, to: &batch.bytes)
                batch.bytes.append(envelopeEnd)
                batch.endMessage()
            }
        }
        return batch.build()
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

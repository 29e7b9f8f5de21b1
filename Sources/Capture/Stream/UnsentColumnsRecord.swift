import NIOCore
import Shared

/// A change record written without columns PostgreSQL did not send (unchanged TOAST values), kept so that it can be
/// written again with their values read back from the source (docs/design.md, "Unchanged TOAST columns").
struct UnsentColumnsRecord: Sendable {
    /// The record's message in its batch.
    var message: Int
    var op: Operation
    var encoder: StreamRecordEncoder
    /// The record's key object.
    var key: [UInt8]
    /// The new row as pgoutput sent it.
    var tuple: TupleData
    /// The `before` image's fields, if the record has one.
    var before: [UInt8]?
    var position: ChangePosition

    /// The key columns' values in PostgreSQL's text format, which find the row again; nil if one was not sent as text.
    var keyTexts: [String]? {
        var texts: [String] = []
        for index in encoder.shape.keyIndexes {
            guard case .text(let bytes) = tuple.columns[index] else { return nil }
            texts.append(String(buffer: bytes))
        }
        return texts
    }

    /// The columns PostgreSQL did not send, by index.
    var unsent: [Int] {
        tuple.columns.indices.filter { tuple.columns[$0] == .unchangedToast }
    }

    /// Writes the record again, its unsent columns filled from `row` (column name → text value, nil for NULL);
    /// a column `row` lacks stays unsent (listed in `unchanged`).
    func write(filledFrom row: [String: String?], into batch: inout ChangeBatchBuilder) throws(ChangeAssembler.Failure) {
        var filled = tuple
        for index in unsent {
            guard let value = row[encoder.shape.columns[index].name] else { continue }
            filled.columns[index] = value.map { .text(ByteBuffer(string: $0)) } ?? .null
        }
        var after = RowImage()
        try encoder.read(filled, into: &after)
        key.withUnsafeBufferPointer { key in
            func write(before: UnsafeBufferPointer<UInt8>?) {
                encoder.write(
                    op, key: key, before: before, after: after.fields.bytes, unchanged: after.unsent, at: position,
                    tombstone: false, into: &batch)
            }
            if let before { before.withUnsafeBufferPointer { write(before: $0) } } else { write(before: nil) }
        }
    }
}

extension ChangeBatch {
    /// The batch with each record of `unsentColumns` that has a row in `rows` (by its index in `unsentColumns`)
    /// written again with the row's values; every other message, the order, the acknowledgement points and the
    /// counts stay as they are.
    func fillingUnsentColumns(from rows: [Int: [String: String?]]) throws -> ChangeBatch {
        guard !rows.isEmpty else { return self }
        let recordAtMessage = Dictionary(uniqueKeysWithValues: rows.keys.map { (unsentColumns[$0].message, $0) })
        var builder = ChangeBatchBuilder()
        var index = 0
        try messages.forEachMessage { topic, key, value, header in
            defer { index += 1 }
            if let record = recordAtMessage[index], let row = rows[record] {
                return try unsentColumns[record].write(filledFrom: row, into: &builder)
            }
            builder.messages.use(topic: topic)
            builder.messages.bytes.append(key)
            builder.messages.endKey()
            guard let value else {
                // A tombstone: what follows its key is its header's value (the delete it carries).
                header?.value?.withUnsafeBufferPointer { builder.messages.bytes.append($0) }
                return builder.messages.endTombstone(headerName: header?.name)
            }
            builder.messages.bytes.append(value)
            builder.messages.endMessage()
        }
        return ChangeBatch(
            messages: builder.build().messages, acknowledgementPoints: acknowledgementPoints, counts: counts)
    }
}

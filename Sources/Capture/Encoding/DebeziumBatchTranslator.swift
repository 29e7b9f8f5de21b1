import Shared
import Synchronization

/// `--record-format debezium`: rewrites the messages capture encoded as Ferry's records into what Debezium's
/// PostgreSQL connector writes for the same changes (`DebeziumRecordEncoder`), message for message, so the
/// acknowledgement points of a batch stay where they were (docs/design.md, "Debezium records"). Messages of other
/// topics (the state topic) pass unchanged. A delete's tombstone loses its `ferry.delete` header (Debezium's have
/// none); the delete and create of a primary-key change get Debezium's `__debezium.newkey` / `__debezium.oldkey`
/// headers.
public final class DebeziumBatchTranslator: Sendable {
    private let topics: TopicLayout
    private let decimalHandling: DebeziumDecimalHandling
    /// By topic: the tables as the catalog described them (`describe`), and tables met only in records.
    private let encoders = Mutex<[String: DebeziumRecordEncoder]>([:])

    public init(prefix: String, decimalHandling: DebeziumDecimalHandling) {
        topics = TopicLayout(prefix: prefix)
        self.decimalHandling = decimalHandling
    }

    /// Describes the captured tables' columns (modifiers, nullability, enums) from the catalog.
    public func describe(_ tables: [SourceTable]) {
        let described = tables.compactMap { table -> (String, DebeziumRecordEncoder)? in
            guard let key = table.captureKey else { return nil }
            let columns = table.columns.map { column in
                DebeziumColumn(
                    name: column.name, type: column.type, typeModifier: column.typeModifier,
                    isOptional: column.isNullable && !key.contains(column.name), isEnum: column.isEnum)
            }
            let described = DebeziumTable(
                prefix: topics.prefix, schema: table.name.schema, table: table.name.name, columns: columns, keyColumns: key)
            return (
                topics.tableTopic(schema: table.name.schema, table: table.name.name),
                DebeziumRecordEncoder(table: described, decimalHandling: decimalHandling)
            )
        }
        encoders.withLock { $0.merge(described) { _, new in new } }
    }

    /// The batch in Debezium's format; `snapshot` is what its snapshot rows say in `source.snapshot`.
    func translate(_ batch: KafkaMessageBatch, snapshot: DebeziumEnvelope.SnapshotMarker) throws -> KafkaMessageBatch {
        var messages: [Translated] = []
        messages.reserveCapacity(batch.count)
        try batch.forEachMessage { topic, key, value, header in
            messages.append(try translate(topic: topic, key: Array(key), value: value.map(Array.init), header: header, snapshot: snapshot))
        }
        Self.markKeyChanges(&messages)
        var builder = KafkaMessageBatchBuilder(capacity: messages.reduce(0) { $0 + $1.key.count + ($1.value?.count ?? 0) }, messages: messages.count)
        for message in messages {
            builder.use(topic: message.topic)
            message.key.withUnsafeBufferPointer { builder.bytes.append($0) }
            builder.endKey()
            if let value = message.value {
                value.withUnsafeBufferPointer { builder.bytes.append($0) }
                builder.endMessage(headers: message.headers)
            } else {
                // A passed-through tombstone keeps its header (its value is the header's).
                message.headers.first?.value?.withUnsafeBufferPointer { builder.bytes.append($0) }
                builder.endTombstone(headerName: message.headers.first?.name)
            }
        }
        return builder.build()
    }

    private struct Translated {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]?
        var headers: [KafkaHeader] = []
        /// A change record's op and WAL position, for pairing a key change's delete and create.
        var change: (op: Operation, lsn: LSN, commitLSN: LSN)?
    }

    private func translate(
        topic: String, key: [UInt8], value: [UInt8]?, header: KafkaHeader?, snapshot: DebeziumEnvelope.SnapshotMarker
    ) throws -> Translated {
        guard topics.isTableTopic(topic) else {
            return Translated(topic: topic, key: key, value: value, headers: header.map { [$0] } ?? [])
        }
        guard let value else {
            // A delete's tombstone: its key as the delete's, no header.
            let row = try ChangeRecordCodec.decodeKey(key)
            return Translated(topic: topic, key: try encoder(topic: topic, record: nil).key(row), value: nil)
        }
        let record = try ChangeRecordCodec.decodeValue(value)
        let encoder = try encoder(topic: topic, record: record)
        let debeziumKey: [UInt8]
        if record.op == .truncate {
            debeziumKey = DebeziumRecordEncoder.truncateKey
        } else {
            debeziumKey = try encoder.key(try record.key ?? ChangeRecordCodec.decodeKey(key))
        }
        return Translated(
            topic: topic, key: debeziumKey, value: try encoder.value(record, snapshot: snapshot),
            change: (record.op, record.source.lsn, record.source.commitLSN))
    }

    /// The encoder of `topic`'s table; one described by the record alone for a table `describe` did not see.
    private func encoder(topic: String, record: ChangeRecord?) throws -> DebeziumRecordEncoder {
        if let encoder = encoders.withLock({ $0[topic] }) { return encoder }
        guard let record, let key = record.key else {
            throw CaptureConfigurationError(description: "no description of the table of topic \(topic) for --record-format debezium")
        }
        let table = DebeziumTable(
            prefix: topics.prefix, schema: record.source.schema, table: record.source.table,
            columns: record.types.map { type in
                let isArray = type.typeName.hasSuffix("[]")
                return DebeziumColumn(
                    name: type.column, type: PostgresColumnType(name: String(type.typeName.dropLast(isArray ? 2 : 0)), isArray: isArray))
            },
            keyColumns: key.fields.map(\.name))
        let encoder = DebeziumRecordEncoder(table: table, decimalHandling: decimalHandling)
        encoders.withLock { $0[topic] = encoder }
        return encoder
    }

    /// A primary-key change is the old key's delete (and its tombstone) and the new key's create at the same WAL
    /// position (docs/design.md, invariant 3): the delete names the new key (`__debezium.newkey`), the create the old
    /// one (`__debezium.oldkey`), as Debezium's events of a key change do.
    private static func markKeyChanges(_ messages: inout [Translated]) {
        for index in messages.indices {
            guard let delete = messages[index].change, delete.op == .delete else { continue }
            var next = index + 1
            if next < messages.count, messages[next].value == nil, messages[next].topic == messages[index].topic { next += 1 }
            guard next < messages.count, messages[next].topic == messages[index].topic,
                let create = messages[next].change, create.op == .create, create.lsn == delete.lsn,
                create.commitLSN == delete.commitLSN
            else { continue }
            messages[index].headers = [KafkaHeader(name: DebeziumEnvelope.newKeyHeader, value: messages[next].key)]
            messages[next].headers = [KafkaHeader(name: DebeziumEnvelope.oldKeyHeader, value: messages[index].key)]
        }
    }
}

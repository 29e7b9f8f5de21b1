import Shared

/// One read of the replication stream, encoded, in stream order: the Kafka messages of its change records (each
/// delete followed by its tombstone when the topics are compacted) and the points where the slot may move once the
/// messages before them are durable.
public struct ChangeBatch: Sendable {
    let messages: KafkaMessageBatch
    /// In stream order.
    let acknowledgementPoints: [AcknowledgementPoint]
    /// Records per operation (tombstones not counted).
    let counts: [Operation: Int]
    /// Records written without columns PostgreSQL did not send whose values are to be read back from the source
    /// (`UnsentColumnsReader`), in message order.
    var unsentColumns: [UnsentColumnsRecord] = []

    var isEmpty: Bool { messages.count == 0 && acknowledgementPoints.isEmpty }
}

/// `lsn` may be acknowledged once the first `afterMessages` messages of the batch are durable: a transaction ended
/// there, or the server reported that position between transactions.
struct AcknowledgementPoint: Sendable, Equatable {
    var afterMessages: Int
    var lsn: LSN
}

/// Collects a `ChangeBatch`: `ChangeAssembler` writes records into `messages` and marks commits.
struct ChangeBatchBuilder: ~Copyable {
    var messages: KafkaMessageBatchBuilder
    private var acknowledgementPoints: [AcknowledgementPoint] = []
    private var counts: [Operation: Int] = [:]
    private var unsentColumns: [UnsentColumnsRecord] = []

    init(capacity: Int = 256 * 1024) {
        messages = KafkaMessageBatchBuilder(capacity: capacity, messages: 1024)
    }

    /// Once every message written so far is durable, the slot may be acknowledged up to `lsn`.
    mutating func acknowledgeable(at lsn: LSN) {
        acknowledgementPoints.append(AcknowledgementPoint(afterMessages: messages.count, lsn: lsn))
    }

    /// Writes a message outside the change stream (the state topic's), in stream order.
    mutating func write(_ message: KafkaOutgoingMessage) {
        messages.use(topic: message.topic)
        message.key?.withUnsafeBufferPointer { messages.bytes.append($0) }
        messages.endKey()
        message.value?.withUnsafeBufferPointer { messages.bytes.append($0) }
        messages.endMessage()
    }

    /// A record of `operation` was written.
    mutating func count(_ operation: Operation, records: Int = 1) {
        counts[operation, default: 0] += records
    }

    /// The last message written is `record`, whose unsent columns are to be read back.
    mutating func needsUnsentColumns(_ record: UnsentColumnsRecord) {
        unsentColumns.append(record)
    }

    consuming func build() -> ChangeBatch {
        ChangeBatch(
            messages: messages.build(), acknowledgementPoints: acknowledgementPoints, counts: counts,
            unsentColumns: unsentColumns)
    }
}

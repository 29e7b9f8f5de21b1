import Shared

/// One poll batch, decoded and mapped: what to write, in order, and what to dead-letter.
struct BatchPlan: Sendable {
    enum Step: Sendable {
        /// Item writes, coalesced before they are sent.
        case writes([ItemWrite])
        /// A truncate: writes before it go first, writes after it after it.
        case truncate(ChangeRecord)
        /// A table's snapshot of a new generation is complete in this partition (`GenerationSweep`); writes before
        /// it go first.
        case generationSnapshotComplete(GenerationSnapshotMarker, at: TopicPartitionOffset)
        /// Unconditional deletes of tombstones without a version (older captures'): in their place, like a
        /// truncate, since they cannot be coalesced by version.
        case deletesByKey([ItemWrite])
    }

    var steps: [Step] = []
    var deadLetters: [DeadLetter] = []
    /// Per partition, the offset to commit once the batch is done: after its last message.
    var nextOffsets: [TopicPartition: Int64] = [:]
    /// The messages writes came from, to dead-letter one DynamoDB refuses. An array, searched only then: a
    /// dictionary cost a hash of the topic name per record.
    var messages: [KafkaMessage] = []
    /// Debezium logical decoding messages (`op` `m`) skipped: nothing to apply, counted.
    var logicalMessages = 0
    /// Per source table, the values limited LOB mode cut (written cut, under LOG_ERROR).
    var lobCuts: [String: LobCuts] = [:]

    mutating func append(_ write: ItemWrite) {
        append(write, byKey: false)
    }

    mutating func appendDeleteByKey(_ write: ItemWrite) {
        append(write, byKey: true)
    }

    private mutating func append(_ write: ItemWrite, byKey: Bool) {
        // Taking the last step out leaves its array uniquely referenced, so the append happens in place (updating
        // it through `steps.last` would copy the whole array on every append).
        switch steps.last {
        case .writes(var writes)? where !byKey:
            steps.removeLast()
            writes.append(write)
            steps.append(.writes(writes))
        case .deletesByKey(var writes)? where byKey:
            steps.removeLast()
            writes.append(write)
            steps.append(.deletesByKey(writes))
        default:
            steps.append(byKey ? .deletesByKey([write]) : .writes([write]))
        }
    }


    /// This plan followed by `later`, the plan of the messages after this one's: writes on either side of the
    /// seam form one step, so they are coalesced together.
    mutating func append(contentsOf later: BatchPlan) {
        var laterSteps = later.steps[...]
        if case .writes(let first)? = laterSteps.first, case .writes(var writes)? = steps.last {
            steps.removeLast()
            writes.append(contentsOf: first)
            steps.append(.writes(writes))
            laterSteps = laterSteps.dropFirst()
        }
        steps.append(contentsOf: laterSteps)
        deadLetters.append(contentsOf: later.deadLetters)
        nextOffsets.merge(later.nextOffsets) { max($0, $1) }
        messages.append(contentsOf: later.messages)
        logicalMessages += later.logicalMessages
        lobCuts.merge(later.lobCuts) { LobCuts(columns: $0.columns.union($1.columns), records: $0.records + $1.records) }
    }

    func deadLetter(_ origin: MessageOrigin, reason: ApplyRecordError, op: Operation) -> DeadLetter? {
        messages.first { MessageOrigin($0) == origin }.map { DeadLetter(message: $0, reason: reason, op: op) }
    }
}

extension DeadLetter {
    /// - Parameter op: the record's operation, when it was read: it picks the apply error policy.
    init(message: KafkaMessage, reason: ApplyRecordError, op: Operation? = nil) {
        self.init(
            reason: reason.description, topic: message.topic, partition: message.partition, offset: message.offset,
            key: message.key.map { Array($0.readableBytesView) }, value: message.value.map { Array($0.readableBytesView) })
        kind = reason.kind(op: op)
    }
}

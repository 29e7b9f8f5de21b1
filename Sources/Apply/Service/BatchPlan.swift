import Shared

/// One poll batch, decoded and mapped: what to write, in order, and what to dead-letter.
struct BatchPlan: Sendable {
    enum Step: Sendable {
        /// Item writes, coalesced before they are sent.
        case writes([ItemWrite])
        /// A truncate: writes before it go first, writes after it after it.
        case truncate(ChangeRecord)
    }

    var steps: [Step] = []
    var deadLetters: [DeadLetter] = []
    /// Per partition, the offset to commit once the batch is done: after its last message.
    var nextOffsets: [TopicPartition: Int64] = [:]
    /// The messages writes came from, to dead-letter one DynamoDB refuses.
    var messages: [MessageOrigin: KafkaMessage] = [:]

    mutating func append(_ write: ItemWrite) {
        // Taking the last step out leaves its array uniquely referenced, so the append happens in place (updating
        // it through `steps.last` would copy the whole array on every append).
        guard case .writes(var writes)? = steps.last else {
            steps.append(.writes([write]))
            return
        }
        steps.removeLast()
        writes.append(write)
        steps.append(.writes(writes))
    }

    func deadLetter(_ origin: MessageOrigin, reason: ApplyRecordError) -> DeadLetter? {
        messages[origin].map { DeadLetter(message: $0, reason: reason) }
    }
}

extension DeadLetter {
    init(message: KafkaMessage, reason: ApplyRecordError) {
        self.init(
            reason: reason.description, topic: message.topic, partition: message.partition, offset: message.offset,
            key: message.key.map { Array($0.readableBytesView) }, value: message.value.map { Array($0.readableBytesView) })
    }
}

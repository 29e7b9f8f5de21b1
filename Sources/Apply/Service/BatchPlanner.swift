import Shared

/// Decodes and maps a poll batch into a `BatchPlan`. Records that cannot be read or mapped become dead letters;
/// tombstones (the delete before them did the work), Ferry's own topics and unselected tables are skipped.
struct BatchPlanner: Sendable {
    let options: ApplyOptions
    let tables: TargetTables

    func plan(_ messages: [KafkaMessage]) async throws -> BatchPlan {
        var plan = BatchPlan()
        for message in messages {
            plan.nextOffsets[message.topicPartition] = max(plan.nextOffsets[message.topicPartition] ?? 0, message.offset + 1)
            guard options.isTableTopic(message.topic), let value = message.value else { continue }
            let origin = MessageOrigin(message)
            let record: ChangeRecord
            do {
                record = try ChangeRecordCodec.decodeValue(Array(value.readableBytesView))
            } catch {
                plan.deadLetters.append(DeadLetter(message: message, reason: .undecodable(error.description)))
                continue
            }
            if record.op == .truncate {
                plan.steps.append(.truncate(record))
                continue
            }
            do {
                guard let mapper = try await tables.mapper(for: record) else { continue }
                plan.append(
                    try ItemWriteBuilder.write(
                        for: record, mapper: mapper, versionAttribute: options.versionAttribute, origin: origin))
                plan.messages[origin] = message
            } catch let error as ApplyRecordError {
                plan.deadLetters.append(DeadLetter(message: message, reason: error))
            }
        }
        return plan
    }
}

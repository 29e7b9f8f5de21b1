import Foundation
import Shared

/// Decodes and maps a poll batch into a `BatchPlan`. Records that cannot be read or mapped become dead letters;
/// tombstones (the delete before them did the work), Ferry's own topics and unselected tables are skipped.
struct BatchPlanner: Sendable {
    let options: ApplyOptions
    let tables: TargetTables

    /// Large batches are planned in contiguous parts, one per core, concurrently (decoding and mapping are the
    /// CPU-heavy part of apply), and the parts' plans joined in message order.
    func plan(_ messages: [KafkaMessage]) async throws -> BatchPlan {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, messages.count / Self.minimumPart))
        guard parts > 1 else { return try await planPart(messages[...]) }
        let size = (messages.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int, BatchPlan).self) { group in
            for (index, start) in stride(from: 0, to: messages.count, by: size).enumerated() {
                let part = messages[start..<min(start + size, messages.count)]
                group.addTask { (index, try await planPart(part)) }
            }
            var planned = [BatchPlan?](repeating: nil, count: parts)
            for try await (index, part) in group { planned[index] = part }
            var joined = BatchPlan()
            for part in planned { if let part { joined.append(contentsOf: part) } }
            return joined
        }
    }

    /// Below this many messages a batch is planned in one piece.
    static let minimumPart = 256

    private func planPart(_ messages: ArraySlice<KafkaMessage>) async throws -> BatchPlan {
        var plan = BatchPlan()
        plan.messages.reserveCapacity(messages.count)
        // Per batch, asked once per topic and table rather than once per record (the mapper lives in an actor).
        var isTableTopic = RunMemo<String, Bool>()
        var mappers = RunMemo<SourceTableName, ItemMapper?>()
        var partitionRun = PartitionRun()
        var decoder = ChangeRecordDecoder()
        for message in messages {
            partitionRun.note(message.topicPartition, offset: message.offset, into: &plan.nextOffsets)
            let tableTopic = await isTableTopic.value(for: message.topic) { options.isTableTopic($0) }
            guard tableTopic, let value = message.value else { continue }
            if GenerationSnapshotMarker.isControl(message.headers) {
                // A kind of control record this version does not know is skipped, like a tombstone.
                if let marker = GenerationSnapshotMarker(value: Array(value.readableBytesView)) {
                    plan.steps.append(
                        .generationSnapshotComplete(marker, at: TopicPartitionOffset(message.topicPartition, offset: message.offset)))
                }
                continue
            }
            let origin = MessageOrigin(message)
            let decoded = value.withUnsafeReadableBytes { bytes in
                Result { () throws(ChangeRecordDecodingError) in try decoder.decodeValue(bytes) }
            }
            let record: ChangeRecord
            switch decoded {
            case .success(let decodedRecord): record = decodedRecord
            case .failure(let error):
                plan.deadLetters.append(DeadLetter(message: message, reason: .undecodable(error.description)))
                continue
            }
            if record.op == .truncate {
                plan.steps.append(.truncate(record))
                continue
            }
            do {
                // nil too is remembered: an unselected table stays skipped.
                let table = SourceTableName(schema: record.source.schema, table: record.source.table)
                let mapper = try await mappers.value(for: table) { _ in try await tables.mapper(for: record) }
                guard let mapper else { continue }
                plan.append(
                    try ItemWriteBuilder.write(
                        for: record, mapper: mapper, versionAttribute: options.versionAttribute, origin: origin))
                plan.messages.append(message)
            } catch let error as ApplyRecordError {
                plan.deadLetters.append(DeadLetter(message: message, reason: error))
            }
        }
        partitionRun.store(into: &plan.nextOffsets)
        return plan
    }

    private struct SourceTableName: Hashable {
        var schema: String
        var table: String
    }
}

import Foundation
import Shared

/// Decodes and maps a poll batch into a `BatchPlan`. Records that cannot be read or mapped become dead letters;
/// a tombstone is applied as the delete it carries; Ferry's own topics and unselected tables are skipped.
struct BatchPlanner: Sendable {
    let options: ApplyOptions
    let tables: TargetTables
    private var lobLimit: LobLimit? { options.lobMaximumBytes.map(LobLimit.init) }

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
        // Tables whose updates without `before` were checked in this part (`TargetTables` warns once per run).
        var keyChecked: Set<String> = []
        var decoder = ChangeMessageDecoder(format: options.inputFormat)
        for message in messages {
            partitionRun.note(message.topicPartition, offset: message.offset, into: &plan.nextOffsets)
            let tableTopic = await isTableTopic.value(for: message.topic) { options.isTableTopic($0) }
            guard tableTopic else { continue }
            let origin = MessageOrigin(message)
            var record: ChangeRecord
            switch Result(catching: { () throws(ChangeRecordDecodingError) in try decoder.decode(message) }) {
            case .success(.change(let decoded)):
                record = decoded
            case .success(.tombstone(_, _, let delete?)):
                // A tombstone carries its delete (docs/design.md, "Tombstones"): applied as that delete, so it
                // still deletes once compaction dropped the delete itself.
                record = delete
            case .success(.tombstone(let key, let types, nil)):
                if options.inputFormat == .debezium {
                    try await planDebeziumTombstone(message, key: key, types: types, origin: origin, into: &plan)
                } else {
                    await planHeaderlessTombstone(message, key: key, origin: origin, into: &plan)
                }
                continue
            case .success(.control(let marker)):
                // A kind of control record this version does not know is skipped, like a tombstone.
                if let marker {
                    plan.steps.append(
                        .generationSnapshotComplete(marker, at: TopicPartitionOffset(message.topicPartition, offset: message.offset)))
                }
                continue
            case .success(.logicalMessage):
                plan.logicalMessages += 1
                continue
            case .failure(let error):
                plan.deadLetters.append(DeadLetter(message: message, reason: .undecodable(error.description)))
                continue
            }
            if record.op == .truncate {
                // Only a selected table's: another's default target name may be a table this apply does not own.
                if options.mappings.isSelected(schema: record.source.schema, table: record.source.table) {
                    plan.steps.append(.truncate(record))
                }
                continue
            }
            var cut: [String] = []
            if let lobLimit, case let cutNow = lobLimit.cut(&record), !cutNow.isEmpty {
                cut = cutNow
                guard options.errorBehavior.truncation == .logError else {
                    let reason = ApplyRecordError.lobTruncated(columns: cut, maximumBytes: lobLimit.maximumBytes)
                    plan.deadLetters.append(DeadLetter(message: message, reason: reason, op: record.op))
                    continue
                }
                let table = "\(record.source.schema).\(record.source.table)"
                plan.lobCuts[table, default: LobCuts()].columns.formUnion(cut)
                plan.lobCuts[table, default: LobCuts()].records += 1
            }
            do {
                // nil too is remembered: an unselected table stays skipped.
                let table = SourceTableName(schema: record.source.schema, table: record.source.table)
                let mapper = try await mappers.value(for: table) { _ in try await tables.mapper(for: record) }
                guard let mapper else { continue }
                let write = try ItemWriteBuilder.write(
                    for: record, mapper: mapper, versionAttribute: options.versionAttribute, origin: origin,
                    truncation: lobLimit != nil ? options.truncationAttribute.map { TruncationMarker(attribute: $0, cutColumns: cut) } : nil)
                if let moved = ItemWriteBuilder.deleteOfMovedItem(
                    for: record, newKey: write.key, mapper: mapper, origin: origin)
                {
                    plan.append(moved)
                } else if record.op == .update, record.before == nil, !keyChecked.contains(mapper.sourceTableName) {
                    keyChecked.insert(mapper.sourceTableName)
                    await tables.checkKeyFollowsPrimaryKey(of: record, mapper: mapper)
                }
                plan.append(write)
                plan.messages.append(message)
            } catch let error as ApplyRecordError {
                plan.deadLetters.append(DeadLetter(message: message, reason: error, op: record.op))
            }
        }
        partitionRun.store(into: &plan.nextOffsets)
        return plan
    }

    /// A Debezium tombstone (a null value after a delete) deletes its key's item like a tombstone without the
    /// delete header (docs/design.md, "Debezium records"); its key and the topic name its table, so it needs no
    /// earlier record of the table.
    private func planDebeziumTombstone(
        _ message: KafkaMessage, key: JSONObject, types: [ColumnType], origin: MessageOrigin, into plan: inout BatchPlan
    ) async throws {
        guard let table = options.table(ofTopic: message.topic) else { return }
        let delete = ChangeRecord(
            op: .delete, tsMs: message.timestampMs ?? 0,
            source: SourceInfo(
                connector: "postgresql", version: "", name: options.prefix, db: "", schema: table.schema,
                table: table.table, snapshot: false, txId: nil, lsn: LSN(rawValue: 0), commitLSN: LSN(rawValue: 0),
                seq: -1, tsMs: message.timestampMs ?? 0, versionScheme: .debezium),
            key: key, before: key, after: nil, types: types)
        do {
            guard let mapper = try await tables.mapper(for: delete) else { return }
            plan.appendDeleteByKey(
                ItemWrite(
                    sourceTable: mapper.sourceTableName, targetTable: mapper.targetTableName,
                    key: try mapper.key(for: key, types: types), action: .delete, version: delete.version, op: .delete,
                    commitTimeMs: message.timestampMs ?? 0, origin: origin))
            plan.messages.append(message)
        } catch let error as ApplyRecordError {
            plan.deadLetters.append(DeadLetter(message: message, reason: error))
        } catch let error as MappingError {
            plan.deadLetters.append(DeadLetter(message: message, reason: .unmappable("\(error)")))
        }
    }

    /// A tombstone without the delete header (written by a capture before it had one): deletes its key's item
    /// unconditionally, in its place in the batch. Exact, because no older record of the row can follow it in
    /// its partition (docs/design.md, "Tombstones"). Its table's mapper must be known from an earlier record.
    private func planHeaderlessTombstone(
        _ message: KafkaMessage, key: JSONObject, origin: MessageOrigin, into plan: inout BatchPlan
    ) async {
        let table = options.sourceTable(ofTopic: message.topic)
        guard let mapper = await tables.knownMapper(sourceTable: table) else {
            plan.deadLetters.append(
                DeadLetter(
                    message: message,
                    reason: .unmappable(
                        "a tombstone without the \(ChangeRecordCodec.tombstoneDeleteHeader) header (from an older "
                            + "capture) before any record of \(table) in this run: its key cannot be mapped; delete "
                            + "the item by hand or re-run apply from a position before it")))
            return
        }
        do {
            plan.appendDeleteByKey(
                ItemWrite(
                    sourceTable: mapper.sourceTableName, targetTable: mapper.targetTableName,
                    key: try mapper.key(for: key, types: []), action: .delete,
                    version: RecordVersion(commitLSN: LSN(rawValue: 0), seq: -1), op: .delete,
                    commitTimeMs: message.timestampMs ?? 0, origin: origin))
            plan.messages.append(message)
        } catch {
            plan.deadLetters.append(DeadLetter(message: message, reason: .unmappable("\(error)")))
        }
    }

    private struct SourceTableName: Hashable {
        var schema: String
        var table: String
    }
}

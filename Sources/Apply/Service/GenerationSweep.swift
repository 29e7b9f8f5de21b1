import Logging
import Shared

/// Removes a table's items of older generations once its snapshot of a new generation is applied in every partition
/// of its topic (docs/design.md, invariant 5, "Generations"). Capture writes a `GenerationSnapshotMarker` into each
/// partition after the snapshot rows; apply meets it after every snapshot row of that partition.
///
/// The rule, exact with any number of partitions and apply members: at a marker in partition p, the member commits
/// p's offset up to the marker (everything before it is durable: steps run in order, earlier batches are done), then
/// reads the group's committed offsets of every partition. Only when each partition q is committed at or past
/// `partitionEnds[q]` — below which all of q's snapshot rows lie — has every snapshot row been written with a version
/// of the new generation, and the sweep runs: a conditional delete of each item whose version is below the
/// generation's first (`TruncateApplier`, `RecordVersion.start(ofGeneration:)`). An item the new generation wrote
/// (snapshot or later change) fails the condition and stays; a row inserted again later gets its item back from its
/// later record. The group coordinator orders commits, so of the members reaching their markers, the last to commit
/// sees every other partition committed past its end and sweeps; a member that crashes before sweeping has not
/// committed past its marker, which is delivered again.
struct GenerationSweep: Sendable {
    let consumer: KafkaConsumer
    let tables: TargetTables
    let truncates: TruncateApplier
    let logger: Logger

    /// Sweeps when every partition is past its snapshot rows; returns the items deleted, nil when deferred.
    func apply(_ marker: GenerationSnapshotMarker, at position: TopicPartitionOffset) async throws -> Int? {
        try await consumer.commit([position])
        let topic = position.topicPartition.topic
        let partitions = marker.partitionEnds.indices.map { TopicPartition(topic: topic, partition: Int32($0)) }
        let committed = try await consumer.committed(partitions)
        let lagging = Self.lagging(marker, committed: committed, passed: position)
        guard lagging.isEmpty else {
            logger.info(
                "generation sweep deferred: other partitions have not applied the new snapshot yet",
                metadata: [
                    "table": "\(marker.schema).\(marker.table)", "generation": "\(marker.generation)",
                    "lagging": "\(lagging.map(\.description))",
                ])
            return nil
        }
        guard let target = try await tables.truncateTarget(schema: marker.schema, table: marker.table),
            !target.keyAttributes.isEmpty
        else { return 0 }
        return try await truncates.deleteItems(
            olderThan: .start(ofGeneration: marker.generation), in: target.table, keyAttributes: target.keyAttributes)
    }

    /// The partitions whose committed offset is still below their end in `marker` (`passed` counts as committed).
    static func lagging(
        _ marker: GenerationSnapshotMarker, committed: [TopicPartitionOffset], passed: TopicPartitionOffset
    ) -> [TopicPartition] {
        let offsets = Dictionary(committed.map { ($0.topicPartition, $0.offset) }) { max($0, $1) }
        return marker.partitionEnds.enumerated().compactMap { partition, end in
            let topicPartition = TopicPartition(topic: passed.topicPartition.topic, partition: Int32(partition))
            let offset = topicPartition == passed.topicPartition ? passed.offset : (offsets[topicPartition] ?? -1)
            return offset >= end ? nil : topicPartition
        }
    }
}

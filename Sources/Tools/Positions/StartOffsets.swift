import Shared

/// Where each partition is read from (tail) or reset to (replay), and where it ended when the command started
/// (its high watermark), as concrete offsets: the position's logical choices are settled here against the broker's
/// watermarks and time index.
struct StartOffsets: Sendable {
    var starts: [TopicPartition: Int64]
    var ends: [TopicPartition: Int64]

    static func make(
        for partitions: [TopicPartition], position: StartPosition, consumer: KafkaConsumer
    ) async throws -> StartOffsets {
        let chosen = try chosenPartitions(partitions, position: position)
        var watermarks: [TopicPartition: (low: Int64, high: Int64)] = [:]
        for partition in chosen { watermarks[partition] = try await consumer.watermarks(partition) }
        let ends = watermarks.mapValues(\.high)
        var starts: [TopicPartition: Int64] = [:]
        switch position {
        case .lastRecords(let count):
            starts = watermarks.mapValues { StartPosition.lastRecordsStart(count: count, low: $0.low, high: $0.high) }
        case .beginning:
            starts = watermarks.mapValues(\.low)
        case .offsets(let offsets):
            for partition in chosen {
                let wanted = offsets.last { $0.partition == partition.partition }?.offset ?? 0
                // Below the low watermark the records are gone: start at the oldest that is still there.
                starts[partition] = max(wanted, watermarks[partition]?.low ?? 0)
            }
        case .time(let milliseconds):
            for found in try await consumer.offsets(for: chosen, atTimestampMs: milliseconds) {
                // `end` (-1): nothing at or after that time yet.
                starts[found.topicPartition] =
                    found.offset >= 0 ? found.offset : watermarks[found.topicPartition]?.high ?? 0
            }
        }
        return StartOffsets(starts: starts, ends: ends)
    }

    /// All partitions, or with `--offset` only the partitions it names.
    static func chosenPartitions(
        _ partitions: [TopicPartition], position: StartPosition
    ) throws(TailError) -> [TopicPartition] {
        guard case .offsets(let offsets) = position else { return partitions }
        let named = Set(offsets.map(\.partition))
        for partition in named where !partitions.contains(where: { $0.partition == partition }) {
            throw .unknownPartition(partition, topics: Array(Set(partitions.map(\.topic))).sorted())
        }
        return partitions.filter { named.contains($0.partition) }
    }
}

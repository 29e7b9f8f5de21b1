import Shared

/// Collects the offset after the last message of each partition of a batch. The current run of messages from one
/// partition is kept aside and stored when the partition changes: a dictionary update per message hashed the
/// topic name every time.
struct PartitionRun {
    private var current: (partition: TopicPartition, next: Int64)?

    mutating func note(_ partition: TopicPartition, offset: Int64, into nextOffsets: inout [TopicPartition: Int64]) {
        if let current, current.partition == partition {
            self.current = (partition, max(current.next, offset + 1))
        } else {
            store(into: &nextOffsets)
            current = (partition, offset + 1)
        }
    }

    /// Stores the current run; call after the last message.
    func store(into nextOffsets: inout [TopicPartition: Int64]) {
        guard let current else { return }
        nextOffsets[current.partition] = max(nextOffsets[current.partition] ?? 0, current.next)
    }
}

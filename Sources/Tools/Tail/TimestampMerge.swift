import Shared

/// Interleaves several partitions by Kafka message timestamp while keeping each partition's own order: only
/// the oldest head among the partitions' queues is released, and only while no partition that may still
/// deliver older history is empty (it might hold the next one). Partitions marked `settled` — read up to where
/// they were when tail started, or idle — no longer hold the others back, so live records flow as they come.
public struct TimestampMerge<Item: Sendable>: Sendable {
    private var queues: [TopicPartition: ArraySlice<(timestamp: Int64, item: Item)>] = [:]
    private var unsettled: Set<TopicPartition>

    public init(partitions: some Sequence<TopicPartition>) {
        unsettled = Set(partitions)
    }

    /// A message without a timestamp sorts first: nothing says it is younger than what is waiting.
    public mutating func add(_ item: Item, partition: TopicPartition, timestampMs: Int64?) {
        queues[partition, default: []].append((timestampMs ?? .min, item))
    }

    public mutating func settle(_ partition: TopicPartition) {
        unsettled.remove(partition)
    }

    public mutating func settleAll() {
        unsettled.removeAll()
    }

    /// The partitions with items waiting.
    public var bufferedPartitions: [TopicPartition] { Array(queues.keys) }

    /// How many items wait for `partition` (for back-pressure: pause a partition that runs far ahead).
    public func bufferedCount(_ partition: TopicPartition) -> Int {
        queues[partition]?.count ?? 0
    }

    /// The items that can be released now, oldest first.
    public mutating func releaseReady() -> [Item] {
        var released: [Item] = []
        while !unsettled.contains(where: { queues[$0, default: []].isEmpty }), let item = popOldest() {
            released.append(item)
        }
        return released
    }

    /// Everything still waiting, oldest first (at the end of a bounded tail).
    public mutating func releaseAll() -> [Item] {
        var released: [Item] = []
        while let item = popOldest() { released.append(item) }
        return released
    }

    /// Ties go to the topic and partition that sort first, so the order is the same on every run.
    private mutating func popOldest() -> Item? {
        let heads = queues.compactMap { partition, queue in queue.first.map { (partition, $0.timestamp) } }
        guard let (partition, _) = heads.min(by: { ($0.1, $0.0.topic, $0.0.partition) < ($1.1, $1.0.topic, $1.0.partition) })
        else { return nil }
        let item = queues[partition]?.popFirst()?.item
        if queues[partition]?.isEmpty == true { queues[partition] = nil }
        return item
    }
}

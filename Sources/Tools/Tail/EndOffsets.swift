import Shared

/// Where each partition ended when tail started (its high watermark) and whether tail has read that far.
/// A bounded tail stops once every partition has; a partition that starts at or past its end is there at once.
public struct EndOffsets: Sendable {
    private var ends: [TopicPartition: Int64]
    private var pending: Set<TopicPartition>

    /// `starts` and `ends` per partition; a partition missing from `ends` is treated as already read.
    public init(starts: [TopicPartition: Int64], ends: [TopicPartition: Int64]) {
        self.ends = ends
        pending = Set(starts.keys.filter { partition in
            guard let end = ends[partition], let start = starts[partition] else { return false }
            return start < end
        })
    }

    public var allReached: Bool { pending.isEmpty }

    public func hasReached(_ partition: TopicPartition) -> Bool { !pending.contains(partition) }

    public var reached: [TopicPartition] { ends.keys.filter { !pending.contains($0) } }

    /// Notes a message read; true when it is the one that brings its partition to its end.
    public mutating func read(_ partition: TopicPartition, offset: Int64) -> Bool {
        guard pending.contains(partition), let end = ends[partition], offset + 1 >= end else { return false }
        pending.remove(partition)
        return true
    }

    /// Gives up waiting for the rest (the end may hold only transaction markers or compacted-away records).
    public mutating func giveUp() {
        pending.removeAll()
    }
}

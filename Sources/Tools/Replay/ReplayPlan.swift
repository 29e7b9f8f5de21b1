import Shared

/// What `ferry replay` does to a consumer group: per partition, the committed offset now and the one it moves to.
public struct ReplayPlan: Sendable, Equatable {
    public struct Move: Sendable, Equatable {
        public var partition: TopicPartition
        /// The group's committed offset; nil when it has none (it would start as `auto.offset.reset` says).
        public var current: Int64?
        public var new: Int64
        /// The partition's end when the plan was made.
        public var high: Int64

        /// Records the group reads again: from the new offset up to where it is now (the end when it has no offset).
        public var recordsToReread: Int64 { max(0, (current ?? high) - new) }
    }

    public var group: String
    public var moves: [Move]

    public init(group: String, starts: [TopicPartition: Int64], ends: [TopicPartition: Int64],
                committed: [TopicPartition: Int64]) {
        self.group = group
        moves = starts.keys.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }.map { partition in
            Move(
                partition: partition, current: committed[partition].flatMap { $0 >= 0 ? $0 : nil },
                new: starts[partition] ?? 0, high: ends[partition] ?? 0)
        }
    }

    public var recordsToReread: Int64 { moves.reduce(0) { $0 + $1.recordsToReread } }

    /// The plan for people: one line a partition, then the total.
    public var table: String {
        let header = ["topic", "partition", "current", "new", "to re-read"]
        let rows = moves.map { move in
            [move.partition.topic, "\(move.partition.partition)", move.current.map(String.init) ?? "none", "\(move.new)",
             "\(move.recordsToReread)"]
        }
        let lines = TextTable.lines([header] + rows)
        return (lines + ["group \(group): \(recordsToReread) records to re-read"]).joined(separator: "\n") + "\n"
    }

    /// The plan as JSON: `{"group":…,"partitions":[{"topic","partition","current","new","records_to_reread"}],…}`.
    public var json: JSONValue {
        [
            "group": .string(group),
            "partitions": .array(moves.map { move in
                [
                    "topic": .string(move.partition.topic), "partition": .integer(move.partition.partition),
                    "current": move.current.map { .integer($0) } ?? .null, "new": .integer(move.new),
                    "records_to_reread": .integer(move.recordsToReread),
                ]
            }),
            "records_to_reread": .integer(recordsToReread),
        ]
    }
}

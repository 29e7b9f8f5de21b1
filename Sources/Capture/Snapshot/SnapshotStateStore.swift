import Logging
import NIOCore
import Shared

/// Remembers which tables' snapshots are complete, in the compacted topic `<prefix>.ferry.state`
/// (key `{"table":"schema.table"}`), so a restart never redoes a finished table and resumes the others.
public struct SnapshotStateStore: Sendable {
    public var topic: String

    public init(prefix: String) {
        topic = TopicLayout(prefix: prefix).stateTopic
    }

    public var topicSpec: KafkaNewTopic {
        KafkaNewTopic(name: topic, partitions: 1, configs: ["cleanup.policy": "compact"])
    }

    /// Tables whose snapshot completed, read from the whole state topic.
    public func completedTables(configuration: KafkaConfiguration, logger: Logger) async throws -> Set<String> {
        let reader = try KafkaConsumer(configuration: configuration, logger: logger)
        let partition = TopicPartition(topic: topic, partition: 0)
        try await reader.assign([TopicPartitionOffset(partition, offset: TopicPartitionOffset.beginning)])
        let high = try await reader.watermarks(partition).high
        var completed: Set<String> = []
        var nextOffset: Int64 = 0
        // Read until past the high watermark *and* idle: some brokers under-report the watermark.
        while true {
            let messages = try await reader.poll(timeout: .milliseconds(nextOffset >= high ? 500 : 5000))
            if messages.isEmpty, nextOffset >= high { break }
            if messages.isEmpty { continue }
            for message in messages {
                nextOffset = message.offset + 1
                guard let table = Self.table(inKey: message.key) else { continue }
                if let value = message.value, Self.isCompleted(value) {
                    completed.insert(table)
                } else {
                    completed.remove(table)
                }
            }
        }
        return completed
    }

    /// The state message marking `table` complete at `consistentPoint` with `rows` rows.
    public func completionMessage(table: String, rows: Int, consistentPoint: LSN, atMs: Int64) -> KafkaOutgoingMessage {
        let key: JSONValue = .object(["table": .string(table)])
        let value: JSONValue = .object([
            "status": "completed", "rows": .integer(rows), "consistent_point": .string(consistentPoint.description),
            "completed_ms": .integer(atMs),
        ])
        return KafkaOutgoingMessage(topic: topic, key: key.jsonBytes, value: value.jsonBytes)
    }

    private static func table(inKey key: ByteBuffer?) -> String? {
        guard let key, case .object(let object)? = try? JSONParser.parse(Array(key.readableBytesView)),
            case .string(let table)? = object["table"]
        else { return nil }
        return table
    }

    private static func isCompleted(_ value: ByteBuffer) -> Bool {
        guard case .object(let object)? = try? JSONParser.parse(Array(value.readableBytesView)) else { return false }
        return object["status"] == .string("completed")
    }
}

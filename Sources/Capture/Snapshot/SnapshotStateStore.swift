import Logging
import NIOCore
import Shared

/// Remembers which tables' snapshots are complete, in the compacted topic `<prefix>.ferry.state`
/// (key `{"table":"schema.table"}`), so a restart never redoes a finished table and resumes the others; and the
/// source history the pipeline follows (key `{"source":"history"}`, see `SourceHistory`).
public struct SnapshotStateStore: Sendable {
    public var topic: String

    public init(prefix: String) {
        topic = TopicLayout(prefix: prefix).stateTopic
    }

    public var topicSpec: KafkaNewTopic {
        KafkaNewTopic(name: topic, partitions: 1, configs: ["cleanup.policy": "compact"])
    }

    /// What the whole state topic remembers.
    public struct State: Sendable {
        /// The source history the pipeline follows; nil before the first start that recorded it.
        public var history: SourceHistory?
        /// Each table whose snapshot completed, with the generation it completed in (0 when not recorded).
        public var completed: [String: Int64] = [:]

        /// Each table an incremental snapshot is loading (status `loading`), with how far it got.
        public var loading: [String: IncrementalProgress] = [:]

        /// Tables whose snapshot completed in `generation`.
        public func completedTables(inGeneration generation: Int64) -> Set<String> {
            Set(completed.filter { $0.value == generation }.keys)
        }
    }

    /// Reads the whole state topic.
    public func read(configuration: KafkaConfiguration, logger: Logger) async throws -> State {
        let reader = try KafkaConsumer(configuration: configuration, logger: logger)
        let partition = TopicPartition(topic: topic, partition: 0)
        try await reader.assign([TopicPartitionOffset(partition, offset: TopicPartitionOffset.beginning)])
        let high = try await reader.watermarks(partition).high
        var state = State()
        var nextOffset: Int64 = 0
        // Read until past the high watermark *and* idle: some brokers under-report the watermark.
        while true {
            let messages = try await reader.poll(timeout: .milliseconds(nextOffset >= high ? 500 : 5000))
            if messages.isEmpty, nextOffset >= high { break }
            if messages.isEmpty { continue }
            for message in messages {
                nextOffset = message.offset + 1
                guard let key = Self.object(message.key) else { continue }
                let value = Self.object(message.value)
                if key["source"] == .string("history") {
                    state.history = value.flatMap(SourceHistory.init)
                } else if case .string(let table)? = key["table"] {
                    state.loading[table] = value.flatMap(IncrementalProgress.init(value:))
                    if let value, value["status"] == .string("completed") {
                        let generation = value["generation"].flatMap { if case .number(let text) = $0 { Int64(text) } else { nil } }
                        state.completed[table] = generation ?? 0
                    } else {
                        state.completed[table] = nil
                    }
                }
            }
        }
        return state
    }

    /// The state message marking `table` complete in `generation` at `consistentPoint` with `rows` rows.
    public func completionMessage(
        table: String, rows: Int, consistentPoint: LSN, generation: Int64, atMs: Int64
    ) -> KafkaOutgoingMessage {
        let key: JSONValue = .object(["table": .string(table)])
        let value: JSONValue = .object([
            "status": "completed", "rows": .integer(rows), "consistent_point": .string(consistentPoint.description),
            "generation": .integer(generation), "completed_ms": .integer(atMs),
        ])
        return KafkaOutgoingMessage(topic: topic, key: key.jsonBytes, value: value.jsonBytes)
    }

    /// The state message remembering how far the incremental snapshot of `table` got: its chunks up to
    /// `progress.after` are durable in Kafka.
    func loadingMessage(table: String, _ progress: IncrementalProgress) -> KafkaOutgoingMessage {
        let key: JSONValue = .object(["table": .string(table)])
        return KafkaOutgoingMessage(topic: topic, key: key.jsonBytes, value: progress.value.jsonBytes)
    }

    /// The state message remembering the source history the pipeline now follows.
    public func historyMessage(_ history: SourceHistory) -> KafkaOutgoingMessage {
        KafkaOutgoingMessage(topic: topic, key: SourceHistory.key.jsonBytes, value: history.value.jsonBytes)
    }

    private static func object(_ bytes: ByteBuffer?) -> JSONObject? {
        guard let bytes, case .object(let object)? = try? JSONParser.parse(Array(bytes.readableBytesView)) else { return nil }
        return object
    }
}

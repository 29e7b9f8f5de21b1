import Foundation
import Shared

/// One tail test's own prefix and table topics, records to put in them, and `ferry tail` run as a child process
/// with standard output and standard error kept apart.
struct TailTestTopics {
    let prefix: String
    let brokers: String
    /// Fixed commit time of the test records, so pretty output can be compared whole: 2024-11-24T14:53:20.100Z.
    static let commitTimeMs: Int64 = 1_732_460_000_100

    init(_ name: String, tables: [String], partitions: Int32 = 1) async throws {
        prefix = TestStack.uniqueName("tail_\(name)")
        brokers = try TestStack.brokers
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics(tables.map { KafkaNewTopic(name: topic($0), partitions: partitions) })
    }

    func topic(_ table: String) -> String { "\(prefix).public.\(table)" }

    /// A change of row `id` of `table` at LSN `lsn`.
    func record(
        _ op: Shared.Operation, table: String, id: Int, before: JSONObject? = nil, after: JSONObject?, lsn: UInt64
    ) -> ChangeRecord {
        ChangeRecord(
            op: op, tsMs: Self.commitTimeMs + 20,
            source: SourceInfo(
                version: "test", name: prefix, db: "db", schema: "public", table: table, snapshot: op == .read,
                txId: 700, lsn: LSN(rawValue: lsn), commitLSN: LSN(rawValue: lsn), seq: 0, tsMs: Self.commitTimeMs),
            key: ["id": .integer(id)], before: before, after: after,
            types: [ColumnType(column: "id", typeName: "int4"), ColumnType(column: "name", typeName: "text"),
                    ColumnType(column: "amount", typeName: "numeric")])
    }

    static func row(_ id: Int, _ name: String, _ amount: String = "10.00") -> JSONObject {
        ["id": .integer(id), "name": .string(name), "amount": .number(amount)]
    }

    /// Produces each message in its own batch (flushing in between): tansu reports a partition's high watermark
    /// as the newest batch's base offset + 1, so only one-message batches give true watermarks (and distinct
    /// timestamps, which the merge tests rely on).
    func produce(_ messages: [(topic: String, key: [UInt8]?, value: [UInt8]?)]) async throws {
        let producer = try KafkaProducer(
            configuration: try TestStack.kafkaConfiguration(["linger.ms": "0"]), logger: TestStack.logger)
        try await producer.withRunning {
            for message in messages {
                try await producer.send([KafkaOutgoingMessage(topic: message.topic, key: message.key, value: message.value)])
                try await producer.flush(timeout: .seconds(30))
                try await Task.sleep(for: .milliseconds(3))
            }
        }
    }

    func produce(_ records: [ChangeRecord]) async throws {
        try await produce(records.map { Self.encoded($0) })
    }

    static func encoded(_ record: ChangeRecord) -> (topic: String, key: [UInt8]?, value: [UInt8]?) {
        (record.topic, record.key.map { ChangeRecordCodec.encodeKey($0) }, ChangeRecordCodec.encodeValue(record))
    }

    /// The messages of `topics` as the broker stores them (positions and timestamps), read without a group.
    func readBack(_ topics: [String], count: Int) async throws -> [KafkaMessage] {
        let reader = try KafkaConsumer(configuration: try TestStack.kafkaConfiguration(), logger: TestStack.logger)
        try await reader.assign(topics.map { TopicPartitionOffset(topic: $0, partition: 0, offset: TopicPartitionOffset.beginning) })
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.Instant.deadline(in: .seconds(30))
        while messages.count < count, ContinuousClock.now < deadline {
            messages += try await reader.poll(timeout: .milliseconds(200))
        }
        return messages
    }

    /// Runs `ferry tail <arguments> --brokers ...` to its end (it must end within the test's patience).
    func tail(_ arguments: [String]) async throws -> FerryRun {
        try await FerryRun.run(["tail"] + arguments + ["--brokers", brokers], in: directory)
    }

    func start(_ arguments: [String]) throws -> (child: ChildProcess, errorPath: String) {
        try FerryRun.start(["tail"] + arguments + ["--brokers", brokers], in: directory)
    }

    private var directory: URL { FileManager.default.temporaryDirectory.appendingPathComponent(prefix) }
}

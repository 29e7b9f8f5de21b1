import Foundation
import Shared
import Testing

/// `ferry replay --input-format debezium`: the group moves on the connector's table topics as Debezium names them
/// (`DebeziumTopicLayout`: names as they are, not Ferry's escaped segments), never on its transaction topic.
/// `ReplayTests` covers Ferry's own topics.
@Suite("ferry replay on Debezium topics")
struct ReplayDebeziumTests {
    @Test func replayMovesTheGroupOnTheConnectorsTableTopics() async throws {
        let prefix = TestStack.uniqueName("rdbz")
        let layout = DebeziumTopicLayout(prefix: prefix)
        // `audit-2024`: Ferry's topic of that table would be `audit-2d2024` (a `-` before two hex digits is escaped).
        let (conformance, audit) = (
            layout.tableTopic(schema: "public", table: "conformance"), layout.tableTopic(schema: "public", table: "audit-2024")
        )
        let admin = try KafkaAdmin(configuration: try TestStack.kafkaConfiguration())
        try await admin.createTopics(
            [conformance, audit, layout.transactionTopic].map { KafkaNewTopic(name: $0, partitions: 1) })
        let stream = try ApplyDebeziumTests.fixture("conformance-precise-adaptive", topic: conformance)
        let messages = stream + stream.map { KafkaOutgoingMessage(topic: audit, key: $0.key, value: $0.value) }
        try await ApplyDebeziumTests.produce(
            messages + [KafkaOutgoingMessage(
                topic: layout.transactionTopic, key: nil,
                value: Array(#"{"status":"BEGIN","id":"571:53195829","ts_ms":1486500577125}"#.utf8))])
        let count = Int64(stream.count)
        let group = TestStack.uniqueName("g")
        let partitions = [conformance, audit].map { TopicPartition(topic: $0, partition: 0) }
        try await admin.alterCommittedOffsets(group: group, to: partitions.map { TopicPartitionOffset($0, offset: count) })

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        let common = ["replay", "--brokers", try TestStack.brokers, "--prefix", prefix, "--group", group]
        let dryRun = try await FerryRun.run(
            common + ["--input-format", "debezium", "--tables", "public.audit-2024", "--from-beginning", "--dry-run", "--format", "json"],
            in: directory)
        #expect(dryRun.status == 0, "\(dryRun.errors)")
        #expect(
            dryRun.output == #"""
                {"group":"\#(group)","partitions":[{"topic":"\#(audit)","partition":0,"current":\#(count),"new":0,"records_to_reread":\#(count)}],"records_to_reread":\#(count)}

                """#)

        // Every table topic of the prefix, the format from the environment as for apply.
        let replay = try await FerryRun.run(
            common + ["--offset", "0:3"], in: directory, environment: ["FERRY_INPUT_FORMAT": "debezium"])
        #expect(replay.status == 0, "\(replay.output)\(replay.errors)")
        #expect(replay.output.contains("group \(group): \(2 * (count - 3)) records to re-read"), "\(replay.output)")
        #expect(!replay.output.contains(layout.transactionTopic), "\(replay.output)")
        let committed = try await admin.committedOffsets(group: group, partitions: partitions)
        let moved = Dictionary(committed.map { ($0.topicPartition.topic, $0.offset) }, uniquingKeysWith: { $1 })
        #expect(moved == [conformance: 3, audit: 3], "\(committed)")
    }
}
